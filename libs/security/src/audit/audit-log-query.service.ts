import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AuditLog } from './audit-log.entity';

/** Filters and page of the admin audit-log query; `from` and `to` are inclusive. */
export interface AuditLogFilter {
  eventType?: string;
  userId?: string;
  from?: Date;
  to?: Date;
  /** From 1. */
  page: number;
  /** At most 100 (the contract); enforced by the route's validation. */
  limit: number;
}

/** One audit row as the contract shows it. */
export interface AuditLogItem {
  id: string;
  event_type: string;
  user_id: string | null;
  resource: string | null;
  action: string | null;
  ip_address: string | null;
  details: Record<string, unknown>;
  service: string;
  correlation_id: string | null;
  timestamp: string;
}

/** A page of audit rows, newest first. */
export interface AuditLogPage {
  items: AuditLogItem[];
  total: number;
  page: number;
  limit: number;
}

/**
 * Reads `audit_logs` for `GET /api/admin/audit-logs`, newest first. Each filter has an index
 * led by its column and followed by `(timestamp, id)`, the page order, so a page is an index
 * range scan even at millions of rows.
 */
@Injectable()
export class AuditLogQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async find(filter: AuditLogFilter): Promise<AuditLogPage> {
    const query = this.filtered(filter);
    const [rows, counted] = await Promise.all([
      query
        .clone()
        .orderBy('log.timestamp', 'DESC')
        .addOrderBy('log.id', 'DESC')
        .offset((filter.page - 1) * filter.limit)
        .limit(filter.limit)
        .getMany(),
      query.clone().select('COUNT(*)', 'total').getRawOne<{ total: string }>(),
    ]);

    return {
      items: rows.map(toItem),
      total: Number(counted?.total ?? 0),
      page: filter.page,
      limit: filter.limit,
    };
  }

  private filtered(filter: AuditLogFilter) {
    const query = this.dataSource.getRepository(AuditLog).createQueryBuilder('log');
    if (filter.eventType)
      query.andWhere('log.eventType = :eventType', { eventType: filter.eventType });
    if (filter.userId) query.andWhere('log.userId = :userId', { userId: filter.userId });
    if (filter.from) query.andWhere('log.timestamp >= :from', { from: filter.from });
    if (filter.to) query.andWhere('log.timestamp <= :to', { to: filter.to });
    return query;
  }
}

function toItem(row: AuditLog): AuditLogItem {
  return {
    id: row.id,
    event_type: row.eventType,
    user_id: row.userId,
    resource: row.resource,
    action: row.action,
    ip_address: row.ipAddress,
    details: row.details,
    service: row.service,
    correlation_id: row.correlationId,
    timestamp: row.timestamp.toISOString(),
  };
}
