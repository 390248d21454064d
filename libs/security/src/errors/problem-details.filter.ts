import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';

import { RequestContext } from '../request-context/request-context';
import { isDependencyError } from './dependency-error';
import { instanceOf, problemFor, type ProblemDetails } from './problem-details';
import { PROBLEM_TYPE_BASE, ProblemException } from './problem.exception';
import { RateLimitExceededException } from './rate-limit-exceeded.exception';

interface RawRequest {
  url?: string;
  originalUrl?: string;
  id?: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Answers every error as RFC 9457 problem details: typed platform exceptions, Nest's
 * HTTP exceptions, body-parser errors of both adapters, dependency outages (503) and,
 * for anything else, a 500 that says nothing of the cause (the cause goes to the log).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('ProblemDetailsFilter');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<RawRequest>();
    const response = http.getResponse<unknown>();
    const problem = this.toProblem(exception, request);
    const adapter = this.adapterHost.httpAdapter;

    if (exception instanceof RateLimitExceededException) {
      adapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    }
    adapter.setHeader(response, 'Content-Type', 'application/problem+json');
    adapter.reply(response, JSON.stringify(problem), problem.status);
  }

  private toProblem(exception: unknown, request: RawRequest): ProblemDetails {
    const instance = instanceOf(request.originalUrl ?? request.url);
    const correlationId = RequestContext.correlationId() ?? String(request.id ?? '');

    if (exception instanceof ProblemException) {
      return {
        ...problemFor(exception.getStatus(), instance, correlationId, exception.message),
        type: `${PROBLEM_TYPE_BASE}${exception.typeSlug}`,
        title: exception.title,
        ...exception.extras,
      };
    }
    if (exception instanceof HttpException) {
      return problemFor(exception.getStatus(), instance, correlationId, this.detailOf(exception));
    }
    const clientStatus = this.clientErrorStatus(exception);
    if (clientStatus) return problemFor(clientStatus, instance, correlationId);
    if (isDependencyError(exception)) {
      this.logger.warn({ err: exception }, 'dependency unavailable while serving request');
      return problemFor(
        503,
        instance,
        correlationId,
        'A dependency is unavailable; try again shortly.',
      );
    }
    this.logger.error({ err: exception }, 'unhandled error while serving request');
    return problemFor(500, instance, correlationId, 'An unexpected error occurred.');
  }

  /** Nest's own messages are safe to show for 4xx; 5xx details stay in the log. */
  private detailOf(exception: HttpException): string | undefined {
    if (exception.getStatus() >= 500) return undefined;
    const body = exception.getResponse();
    const message =
      typeof body === 'object' && body ? (body as { message?: unknown }).message : body;
    return typeof message === 'string' ? message.slice(0, 300) : undefined;
  }

  /** Body-parser and adapter errors carry a 4xx status of their own. */
  private clientErrorStatus(exception: unknown): number | undefined {
    if (!exception || typeof exception !== 'object') return undefined;
    const { statusCode, status } = exception as { statusCode?: unknown; status?: unknown };
    const code = typeof statusCode === 'number' ? statusCode : status;
    return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
  }
}
