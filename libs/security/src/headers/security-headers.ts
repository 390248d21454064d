import type { IncomingMessage, ServerResponse } from 'node:http';

import helmet from 'helmet';

import type { Environment } from '../config/security-options.interface';

/** A raw Node middleware, usable on both Express and Fastify (through middie). */
export type RawMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

const PERMISSIONS_POLICY = 'geolocation=(), microphone=(), camera=()';

/**
 * The contract's security headers, built on helmet. Production adds HSTS and a strict
 * CSP; development keeps `default-src 'self'` but lets Swagger UI run its inline code.
 */
export function securityHeaders(environment: Environment): RawMiddleware {
  const production = environment === 'production';
  const strictDirectives = {
    'default-src': ["'self'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
  };
  const helmetMiddleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: production
        ? strictDirectives
        : {
            ...strictDirectives,
            'script-src': ["'self'", "'unsafe-inline'"],
            'style-src': ["'self'", "'unsafe-inline'"],
            'img-src': ["'self'", 'data:'],
          },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer-when-downgrade' },
    strictTransportSecurity: production
      ? { maxAge: 63_072_000, includeSubDomains: true, preload: true }
      : false,
    xXssProtection: true,
    xPoweredBy: true,
  });
  return (request, response, next) => {
    response.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    helmetMiddleware(request, response, next);
  };
}

/**
 * The headers {@link securityHeaders} sets, for the rare answers written straight to the
 * socket (oversized request headers), where no middleware runs.
 */
export function staticSecurityHeaders(environment: Environment): Record<string, string> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name] = String(value);
    },
    removeHeader: (name: string) => delete headers[name],
    getHeader: (name: string) => headers[name],
  } as unknown as ServerResponse;
  securityHeaders(environment)({ headers: {} } as IncomingMessage, collector, () => undefined);
  return headers;
}
