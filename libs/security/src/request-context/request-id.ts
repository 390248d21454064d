import { randomUUID } from 'node:crypto';

const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The header carrying the correlation id in and out of every service. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Keeps a well-formed incoming `X-Request-Id`, otherwise makes a new one. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && WELL_FORMED_REQUEST_ID.test(value) ? value : randomUUID();
}
