import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';

import { PageQueryDto } from '../validation/page-query.dto';
import type { AuditLogFilter } from './audit-log-query.service';

/**
 * Query of `GET /api/admin/audit-logs`: `event_type, user_id, from, to, page, limit`
 * (page from 1, limit 1 to 100, default 20).
 */
export class AuditLogQueryDto extends PageQueryDto {
  @IsOptional()
  @Matches(/^[a-z_]{1,64}$/, { message: 'event_type must be an event type name' })
  event_type?: string;

  @IsOptional()
  @IsUUID()
  user_id?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** The service filter of a validated {@link AuditLogQueryDto}. */
export function auditLogFilterFromQuery(query: AuditLogQueryDto): AuditLogFilter {
  return {
    eventType: query.event_type,
    userId: query.user_id,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    page: query.page,
    limit: query.limit,
  };
}
