import type { IncomingHttpHeaders } from 'node:http';

/** Where a request's token came from: API tokens alone may use `X-API-Key`. */
export interface ExtractedToken {
  token: string;
  source: 'bearer' | 'api-key';
}

const BEARER = /^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i;

/** The token of a request, or `undefined` when it carries none (or a malformed header). */
export function extractToken(headers: IncomingHttpHeaders): ExtractedToken | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = BEARER.exec(authorization);
    return match ? { token: match[1], source: 'bearer' } : undefined;
  }
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0)
    return { token: apiKey.trim(), source: 'api-key' };
  return undefined;
}
