import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { DependencyUnavailableException } from '../errors/dependency-unavailable.exception';
import { SecurityMetrics } from '../metrics/security-metrics.service';
import { RequestContext } from '../request-context/request-context';

/** Methods an outbound call may use. */
export type OutboundMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Options of one {@link OutboundHttpClient.request} call. */
export interface OutboundRequestOptions {
  /** Default `GET`. */
  method?: OutboundMethod;
  /** Sent as JSON. */
  body?: unknown;
  /** Upper bound of the whole call, response body included. Default 2000. */
  timeoutMs?: number;
  /** Name of the called service in logs, metrics and the 503 answer. Default: the URL's host. */
  target?: string;
  /**
   * `Authorization` header to send. Default: the one of the request being served, so the
   * called service sees the original caller and applies its own checks to them.
   */
  authorization?: string;
  /** `X-Request-Id` to send. Default: the correlation id of the request being served. */
  correlationId?: string;
}

/** What the called service answered. Statuses are not turned into errors: the caller decides. */
export interface OutboundResponse<T> {
  status: number;
  ok: boolean;
  /** Parsed JSON (problem+json included), or `undefined` for an empty or non-JSON body. */
  body: T | undefined;
  headers: Headers;
}

/** Default bound of an outbound call. */
export const DEFAULT_OUTBOUND_TIMEOUT_MS = 2000;

/**
 * Calls another platform service on behalf of the request being served.
 *
 * Forwards the caller's `Authorization` and `X-Request-Id`, bounds the call with a timeout,
 * logs it as an external call (`target`, `method`, `path`, `status`, `duration_ms`; never
 * the query or a header) and measures it in `outbound_request_duration_seconds`.
 * A timeout or a connection failure throws {@link DependencyUnavailableException} (503);
 * every HTTP status is returned as is, so the caller maps 403 and 404 to its own answer.
 *
 * @example
 * const answer = await this.http.request<MsmeView>(`${base}/api/msme/${id}`, {
 *   target: 'msme-service',
 *   timeoutMs: 2000,
 * });
 * if (answer.status === 404) throw new NotFoundException();
 */
@Injectable()
export class OutboundHttpClient {
  constructor(
    private readonly logger: PinoLogger,
    private readonly metrics: SecurityMetrics,
  ) {
    this.logger.setContext('OutboundHttpClient');
  }

  async request<T = unknown>(
    url: string,
    options: OutboundRequestOptions = {},
  ): Promise<OutboundResponse<T>> {
    const parsed = new URL(url);
    const method = options.method ?? 'GET';
    const target = options.target ?? parsed.host;
    const startedAt = performance.now();

    try {
      const response = await fetch(parsed, {
        method,
        headers: this.headersFor(options),
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_OUTBOUND_TIMEOUT_MS),
        redirect: 'manual',
      });
      const body = await this.readBody<T>(response);
      this.record(target, method, parsed.pathname, response.status, startedAt);
      return { status: response.status, ok: response.ok, body, headers: response.headers };
    } catch (error) {
      this.record(target, method, parsed.pathname, 'error', startedAt, error);
      throw new DependencyUnavailableException(target);
    }
  }

  private headersFor(options: OutboundRequestOptions): Record<string, string> {
    const context: { correlationId?: string; authorization?: string } | undefined =
      RequestContext.current();
    const headers: Record<string, string> = { accept: 'application/json' };
    const authorization = options.authorization ?? context?.authorization;
    const correlationId = options.correlationId ?? context?.correlationId;

    if (authorization) headers.authorization = authorization;
    if (correlationId) headers['x-request-id'] = correlationId;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return headers;
  }

  /** Reads the whole body under the same timeout, so a service that stalls mid-body is caught. */
  private async readBody<T>(response: Response): Promise<T | undefined> {
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    if (!text || !/[/+]json\b/.test(type)) return undefined;
    return JSON.parse(text) as T;
  }

  private record(
    target: string,
    method: string,
    path: string,
    status: number | 'error',
    startedAt: number,
    error?: unknown,
  ): void {
    const seconds = (performance.now() - startedAt) / 1000;
    const entry = {
      external_call: true,
      correlation_id: RequestContext.correlationId() ?? null,
      target,
      method,
      path,
      status,
      duration_ms: Math.round(seconds * 1000),
    };

    this.metrics.outboundRequest(target, method, status, seconds);
    if (status === 'error') {
      this.logger.warn({ ...entry, error: describe(error) }, 'external call failed');
    } else {
      this.logger.info(entry, 'external call');
    }
  }
}

/** Name and code of a fetch failure; its message may quote the URL, which stays out of logs. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  const cause = error.cause as { code?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? `:${cause.code}` : '';
  return `${error.name}${code}`;
}
