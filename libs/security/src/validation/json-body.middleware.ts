import { instanceOf, problemFor, writeRawProblem } from '../errors/problem-details';
import type { RawMiddleware } from '../headers/security-headers';
import { RequestContext } from '../request-context/request-context';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses with 415 a request body that is not JSON, before any parser sees it: every
 * route of the platform takes JSON, and refusing early keeps other parsers out of reach.
 */
export function jsonBodyMiddleware(): RawMiddleware {
  return (request, response, next) => {
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 ||
      request.headers['transfer-encoding'] !== undefined;
    const contentType = request.headers['content-type'] ?? '';
    if (
      !hasBody ||
      !METHODS_WITH_BODY.has(request.method ?? '') ||
      JSON_MEDIA_TYPE.test(contentType)
    ) {
      next();
      return;
    }
    writeRawProblem(
      response,
      problemFor(
        415,
        instanceOf(request.url),
        RequestContext.correlationId() ?? '',
        'Request bodies must be application/json.',
      ),
    );
  };
}

/** Keys that could reach an object's prototype once a body is merged or transformed. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** Whether a parsed JSON value carries {@link PROTOTYPE_KEYS}. */
export function hasPrototypeKeys(value: unknown, depth = 0): boolean {
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) return true;
    if (hasPrototypeKeys((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}
