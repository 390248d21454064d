import type {
  EntityManager,
  EntityMetadata,
  EntitySubscriberInterface,
  InsertEvent,
  ObjectLiteral,
  RemoveEvent,
  SoftRemoveEvent,
  UpdateEvent,
} from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

import { RequestContext } from '../request-context/request-context';
import { DATA_CHANGE_EVENT_TYPE } from './audit.constants';
import type { AuditChainService } from './audit-chain.service';
import { isSecretKey, toAuditJson } from './audit-redaction';
import { auditSensitivePropertiesOf, auditedResourceOf } from './audited.decorator';

/** `action` of a data-change audit row. */
export type AuditedAction = 'insert' | 'update' | 'soft_remove' | 'remove';

type FieldValues = Record<string, unknown>;

interface ChangeDetails {
  entityId: unknown;
  before?: FieldValues;
  after?: FieldValues;
  sensitiveChanged?: string[];
}

/**
 * TypeORM subscriber that writes one `audit_logs` row (`event_type` `data_change`) for every
 * insert, update, soft remove and remove of an `@Audited()` entity, through the event's own
 * entity manager, so the row is part of the change's transaction. `details` holds the
 * changed fields (database column names) before and after; `@AuditSensitive()` fields and
 * fields named like secrets are never copied. User and correlation id come from the
 * {@link RequestContext}.
 *
 * Registered on the application's DataSource by `AuditModule` (it is not constructed by
 * TypeORM's `subscribers` option, because it needs the chain and the service name).
 * A QueryBuilder `update()`/`delete()` also reaches it, but without the loaded rows: such
 * rows carry the values set and no `before`. Prefer repository `save`/`remove` for
 * audited entities.
 */
export class AuditSubscriber implements EntitySubscriberInterface<ObjectLiteral> {
  constructor(
    private readonly chain: AuditChainService,
    private readonly serviceName: string,
  ) {}

  async afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
    const { metadata, entity } = event;
    if (!auditedResourceOf(metadata.target)) return;

    await this.write(event.manager, metadata, 'insert', {
      entityId: entityIdOf(metadata, entity),
      after: this.snapshot(metadata, entity, metadata.columns),
    });
  }

  async afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    const { metadata, databaseEntity } = event;
    if (!auditedResourceOf(metadata.target)) return;

    const entity = event.entity ?? {};
    const columns = event.updatedColumns.length > 0 ? event.updatedColumns : setColumns(event);

    await this.write(event.manager, metadata, 'update', {
      entityId: entityIdOf(metadata, databaseEntity ?? entity),
      before: databaseEntity ? this.snapshot(metadata, databaseEntity, columns) : undefined,
      after: this.snapshot(metadata, entity, columns),
      sensitiveChanged: this.sensitiveNames(metadata, columns),
    });
  }

  async afterSoftRemove(event: SoftRemoveEvent<ObjectLiteral>): Promise<void> {
    await this.writeRemoval(event, 'soft_remove');
  }

  async afterRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
    await this.writeRemoval(event, 'remove');
  }

  private async writeRemoval(event: RemoveEvent<ObjectLiteral>, action: AuditedAction) {
    if (!auditedResourceOf(event.metadata.target)) return;

    const row = event.databaseEntity ?? event.entity ?? {};
    await this.write(event.manager, event.metadata, action, {
      entityId: event.entityId ?? entityIdOf(event.metadata, row),
      before: this.snapshot(event.metadata, row, event.metadata.columns),
    });
  }

  private async write(
    manager: EntityManager,
    metadata: EntityMetadata,
    action: AuditedAction,
    change: ChangeDetails,
  ): Promise<void> {
    const resource = auditedResourceOf(metadata.target) as string;
    const context = RequestContext.current();
    await this.chain.append(manager, {
      eventType: DATA_CHANGE_EVENT_TYPE,
      userId: context?.userId ?? null,
      resource,
      action,
      ipAddress: context?.clientIp ?? null,
      details: {
        entity: metadata.tableName,
        entity_id: change.entityId ?? null,
        ...(change.before && { before: change.before }),
        ...(change.after && { after: change.after }),
        ...(change.sensitiveChanged?.length && { sensitive_changed: change.sensitiveChanged }),
      },
      service: this.serviceName,
      correlationId: context?.correlationId ?? null,
    });
  }

  private snapshot(metadata: EntityMetadata, row: ObjectLiteral, columns: ColumnMetadata[]) {
    const sensitive = auditSensitivePropertiesOf(metadata.target);
    const values: FieldValues = {};
    for (const column of columns) {
      if (isSensitive(column, sensitive)) continue;
      // A relation column yields the referenced id, not the related entity.
      const value = column.getEntityValue(row);
      if (value !== undefined) values[column.databaseName] = toAuditJson(value);
    }
    return values;
  }

  private sensitiveNames(metadata: EntityMetadata, columns: ColumnMetadata[]): string[] {
    const sensitive = auditSensitivePropertiesOf(metadata.target);
    return columns.filter((column) => isSensitive(column, sensitive)).map((c) => c.databaseName);
  }
}

function isSensitive(column: ColumnMetadata, marked: ReadonlySet<string>): boolean {
  return (
    marked.has(column.propertyName) ||
    isSecretKey(column.propertyName) ||
    isSecretKey(column.databaseName)
  );
}

// A QueryBuilder update reports no updated columns; the values it set are the entity.
function setColumns(event: UpdateEvent<ObjectLiteral>): ColumnMetadata[] {
  const set = event.entity ?? {};
  return event.metadata.columns.filter((column) => column.propertyName in set);
}

function entityIdOf(metadata: EntityMetadata, row: ObjectLiteral): unknown {
  const ids = metadata.getEntityIdMap(row);
  if (!ids) return null;
  const values = Object.values(ids);
  return values.length === 1 ? toAuditJson(values[0]) : toAuditJson(ids);
}
