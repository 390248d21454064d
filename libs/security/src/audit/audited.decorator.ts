import 'reflect-metadata';

import { AUDITED_RESOURCE_KEY, AUDIT_SENSITIVE_KEY } from './audit.constants';

/**
 * Marks a TypeORM entity as audited: every insert, update, soft remove and remove of it
 * writes an `audit_logs` row in the same transaction, naming `resourceName` as the resource.
 *
 * @example
 * ```ts
 * @Audited('msme')
 * @Entity('msmes')
 * export class Msme { ... }
 * ```
 */
export function Audited(resourceName: string): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(AUDITED_RESOURCE_KEY, resourceName, target);
  };
}

/**
 * Marks an entity property whose value never enters an audit row (password hashes, token
 * hashes, OTP hashes). A change of it is recorded by name only, in `details.sensitive_changed`.
 */
export function AuditSensitive(): PropertyDecorator {
  return (target, propertyKey) => {
    const owner = target.constructor;
    const inherited: string[] = Reflect.getMetadata(AUDIT_SENSITIVE_KEY, owner) ?? [];
    Reflect.defineMetadata(AUDIT_SENSITIVE_KEY, [...inherited, String(propertyKey)], owner);
  };
}

/** The resource name given to `@Audited()`, or `undefined` for an entity that is not audited. */
export function auditedResourceOf(target: unknown): string | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(AUDITED_RESOURCE_KEY, target);
}

/** Property names marked with `@AuditSensitive()` on the class and its ancestors. */
export function auditSensitivePropertiesOf(target: unknown): ReadonlySet<string> {
  if (typeof target !== 'function') return new Set();
  return new Set(Reflect.getMetadata(AUDIT_SENSITIVE_KEY, target) ?? []);
}
