import type { IncomingMessage, Server } from 'node:http';

import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { TestingModule } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';

import type { Environment, SecurityModuleOptions } from '../config/security-options.interface';
import { ValidationFailedException } from '../errors/validation-failed.exception';
import { composeRawMiddlewares, securityHeaders } from '../headers/security-headers';
import { ipBlockMiddleware } from '../ip-block/ip-block.middleware';
import { IpBlockService } from '../ip-block/ip-block.service';
import { PLATFORM_LOGGER } from '../logging/platform-logger.factory';
import { SecurityMetrics } from '../metrics/security-metrics.service';
import { requestContextMiddleware } from '../request-context/request-context.middleware';
import { REQUEST_ID_HEADER, resolveRequestId } from '../request-context/request-id';
import { SECURITY_OPTIONS } from '../security.tokens';
import {
  PROTOTYPE_KEYS,
  hasPrototypeKeys,
  jsonBodyMiddleware,
} from '../validation/json-body.middleware';
import { clientErrorResponder } from './raw-body-errors';

/** The HTTP platform a service runs on. */
export type HttpPlatform = 'fastify' | 'express';

/** Options of {@link createSecureApp}. */
export interface SecureAppOptions {
  /** Default `fastify`: measured several times faster than Express for the same pipeline. */
  platform?: HttpPlatform;
}

/**
 * Nest stays silent until the platform logger takes over, and start-up errors (invalid
 * configuration) reach the caller instead of Nest printing them with a stack trace.
 */
const NEST_SETTINGS = { logger: false as const, abortOnError: false };

/** Largest accepted request body: larger ones answer 413. */
export const BODY_LIMIT_BYTES = 100 * 1024;

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;

function parseJsonBody(body: string): unknown {
  if (body === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 });
  }
  if (hasPrototypeKeys(parsed)) {
    throw new ValidationFailedException([
      { field: 'body', message: 'prototype keys are not allowed' },
    ]);
  }
  return parsed;
}

/** A JSON reviver that fails the parse (400) on keys that could reach a prototype. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (PROTOTYPE_KEYS.has(key)) throw new SyntaxError('prototype keys are not allowed');
  return value;
}

function fastifyAdapter(environment: () => Environment): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // The request-context middleware reads X-Forwarded-For itself, hop-limited.
    trustProxy: false,
    return503OnClosing: true,
    clientErrorHandler: clientErrorResponder(environment),
    // The same id the request-context middleware keeps, so Fastify's own logs agree.
    genReqId: (request: IncomingMessage) => {
      const id = resolveRequestId(request.headers[REQUEST_ID_HEADER]);
      request.headers[REQUEST_ID_HEADER] = id;
      return id;
    },
  });
  const instance = adapter.getInstance();
  instance.removeContentTypeParser('application/json');
  // An empty JSON body means "no body" (logout without a refresh token, for instance).
  instance.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  return adapter;
}

function isTestingModule(source: Type<unknown> | TestingModule): source is TestingModule {
  return typeof (source as TestingModule).createNestApplication === 'function';
}

async function instantiate(
  source: Type<unknown> | TestingModule,
  platform: HttpPlatform,
  environment: () => Environment,
): Promise<INestApplication> {
  if (platform === 'express') {
    const settings = { ...NEST_SETTINGS, bodyParser: false };
    const app = isTestingModule(source)
      ? source.createNestApplication<NestExpressApplication>(new ExpressAdapter(), settings)
      : await NestFactory.create<NestExpressApplication>(source, new ExpressAdapter(), settings);
    app.disable('x-powered-by');
    (app.getHttpServer() as Server).on('clientError', clientErrorResponder(environment));
    return app;
  }
  const adapter = fastifyAdapter(environment);
  return isTestingModule(source)
    ? source.createNestApplication<NestFastifyApplication>(adapter, NEST_SETTINGS)
    : NestFactory.create<NestFastifyApplication>(source, adapter, NEST_SETTINGS);
}

/**
 * Creates a Nest application (not yet listening) with the platform's request pipeline:
 * correlation id, security headers, IP blocking, JSON-only bodies up to 100 KiB, 431 for
 * oversized headers, the Pino logger, shutdown hooks, and OpenAPI docs at `/docs` when
 * enabled. The application module must import `SecurityModule`.
 *
 * Accepts a module class, or a compiled `TestingModule` for tests.
 *
 * @example
 * const app = await createSecureApp(AppModule);
 * await app.listen(8002, '0.0.0.0');
 */
export async function createSecureApp(
  source: Type<unknown> | TestingModule,
  appOptions: SecureAppOptions = {},
): Promise<INestApplication> {
  // The adapter exists before the module's options do; its error responder reads them later.
  const resolved: { options?: SecurityModuleOptions } = {};
  const app = await instantiate(
    source,
    appOptions.platform ?? 'fastify',
    () => resolved.options?.environment ?? 'production',
  );
  const options = app.get<SecurityModuleOptions>(SECURITY_OPTIONS);
  resolved.options = options;
  configurePipeline(app, options);
  return app;
}

function configurePipeline(app: INestApplication, options: SecurityModuleOptions): void {
  const metrics = app.get(SecurityMetrics);
  app.useLogger(app.get(Logger));
  const pipeline = composeRawMiddlewares([
    requestContextMiddleware(options.trustProxy, metrics, app.get(PLATFORM_LOGGER)),
    securityHeaders(options.environment),
    ipBlockMiddleware(app.get(IpBlockService), metrics),
    jsonBodyMiddleware(),
  ]);
  if (app.getHttpAdapter().getType() === 'fastify') {
    // A hook of Fastify's own rather than `app.use`: middie would copy a dozen request
    // properties and normalise the path on every request for middlewares that need neither.
    (app as NestFastifyApplication)
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (request, reply, done) =>
        pipeline(request.raw, reply.raw, (error) => done(error as Error | undefined)),
      );
  } else {
    app.use(pipeline);
    // Registered after the middlewares above so that parser errors carry their headers.
    (app as NestExpressApplication).useBodyParser('json', {
      limit: BODY_LIMIT_BYTES,
      type: (request: IncomingMessage) =>
        JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? ''),
      reviver: refusePrototypeKeys,
    });
  }
  if (options.docsEnabled) {
    const config = new DocumentBuilder()
      .setTitle(options.serviceName)
      .setVersion(options.serviceVersion)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .build();
    SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
      jsonDocumentUrl: 'docs-json',
    });
  }
}
