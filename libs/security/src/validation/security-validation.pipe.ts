import {
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';

import { ValidationFailedException, type FieldError } from '../errors/validation-failed.exception';
import { SecurityEventLogger } from '../logging/security-event.logger';
import { findInjectionShapes } from '../metrics/injection-detector';

const INSPECTED: ReadonlySet<ArgumentMetadata['type']> = new Set(['body', 'query', 'param']);

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The global validation pipe: unknown fields are refused, values are transformed to their
 * DTO types, and failures answer 400 with one `errors` entry per field.
 *
 * Before validating, inputs with common SQL- or script-injection shapes are recorded as
 * `suspicious_activity` (type `injection`, field names only, never the values); the
 * request itself is still answered by validation.
 */
@Injectable()
export class SecurityValidationPipe extends ValidationPipe {
  constructor(private readonly events: SecurityEventLogger) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationFailedException(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (INSPECTED.has(metadata.type)) {
      const fields = findInjectionShapes(value);
      if (fields.length > 0) {
        await this.events.logSuspiciousActivity('injection', {
          details: {
            source: metadata.type,
            fields: fields.map((field) => field || metadata.data || ''),
          },
        });
      }
    }
    return super.transform(value, metadata);
  }
}
