import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { SecurityEvent } from '../logging/security-event.interface';
import type { AuditSink } from './audit-sink.interface';
import { AuditChainService } from './audit-chain.service';

/**
 * The {@link AuditSink} of the services: each audited security event becomes one chained
 * `audit_logs` row, committed before `record` resolves. Events are not batched, so an
 * acknowledged event survives a crash. The row is a single INSERT, atomic on its own, so it
 * runs outside an explicit transaction: one round trip instead of three (BEGIN, INSERT,
 * COMMIT) on every audited read. Secret-named keys of `details` are redacted.
 */
@Injectable()
export class TypeOrmAuditSink implements AuditSink {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chain: AuditChainService,
  ) {}

  async record(event: SecurityEvent): Promise<void> {
    if (!event.requires_audit) return;

    await this.chain.append(this.dataSource.manager, {
      eventType: event.event_type,
      userId: event.user_id,
      resource: event.resource,
      action: event.action,
      ipAddress: event.ip_address,
      details: event.details,
      service: event.service,
      correlationId: event.correlation_id,
      timestamp: new Date(event.timestamp),
    });
  }
}
