import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AuditLogQueryDto,
  AuditLogQueryService,
  auditLogFilterFromQuery,
  Permissions,
  type AuditLogPage,
} from '@msmebazaar/security';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/admin/audit-logs')
export class AdminAuditController {
  constructor(private readonly auditLogs: AuditLogQueryService) {}

  @Get()
  @Permissions('audit.read')
  @ApiOperation({ summary: 'Audit rows, newest first; from and to are inclusive ISO-8601 times' })
  @ApiOkResponse({
    description:
      '{items: [{id, event_type, user_id, resource, action, ip_address, details, service, ' +
      'correlation_id, timestamp}], total, page, limit}',
  })
  @ApiForbiddenResponse({ description: 'Missing audit.read' })
  find(@Query() query: AuditLogQueryDto): Promise<AuditLogPage> {
    return this.auditLogs.find(auditLogFilterFromQuery(query));
  }
}
