import { PartialType } from '@nestjs/swagger';

import { CreateMsmeDto } from './create-msme.dto';

/**
 * Body of `PATCH /api/msme/:msme_id`: any of the create fields. `null` is refused for the
 * required ones (only `gst_number` may be cleared), hence `skipNullProperties: false`.
 */
export class UpdateMsmeDto extends PartialType(CreateMsmeDto, { skipNullProperties: false }) {}
