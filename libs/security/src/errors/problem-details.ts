import { STATUS_CODES, type ServerResponse } from 'node:http';

import { PROBLEM_TYPE_BASE } from './problem.exception';

/** RFC 9457 problem details as the platform answers them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  correlation_id: string;
  [extra: string]: unknown;
}

const SLUG_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  431: 'request-header-fields-too-large',
  500: 'internal-error',
  503: 'dependency-unavailable',
};

/** The problem body of a status with no more specific type. */
export function problemFor(
  status: number,
  instance: string,
  correlationId: string,
  detail?: string,
): ProblemDetails {
  const title = STATUS_CODES[status] ?? 'Error';
  return {
    type: `${PROBLEM_TYPE_BASE}${SLUG_BY_STATUS[status] ?? (status >= 500 ? 'internal-error' : 'bad-request')}`,
    title,
    status,
    detail: detail ?? title,
    instance,
    correlation_id: correlationId,
  };
}

/** The request path without its query, as `instance` wants it. */
export function instanceOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0];
  return path.length > 512 ? path.slice(0, 512) : path;
}

/**
 * Writes a problem to a raw Node response, for the few answers given before Nest's
 * exception filter can run (body parsing, IP blocks, oversized headers).
 */
export function writeRawProblem(response: ServerResponse, problem: ProblemDetails): void {
  const body = JSON.stringify(problem);
  response.statusCode = problem.status;
  response.setHeader('Content-Type', 'application/problem+json');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}
