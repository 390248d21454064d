import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import type { INestApplication } from '@nestjs/common';

import { IpBlockService, RevocationService } from '@msmebazaar/security';

import { LogCapture } from '../../../test/support/log-capture';
import { TEST_REDIS_URL, deleteKeys, testKeyPrefix } from '../../../test/support/redis';
import { AttackSigner, accessClaims } from './support/attack-tokens';
import { documentOwners, startPipelineApp } from './support/pipeline-app';

const PLATFORMS = ['fastify', 'express'] as const;

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * One capture for the file: nestjs-pino keeps one logger per process for code outside a
 * request's own, so both apps of this file write some of their lines to the first one's.
 */
const logs = new LogCapture();

describe.each(PLATFORMS)('request pipeline on %s', (platform) => {
  let signer: AttackSigner;
  let app: INestApplication;
  let url: string;
  let prefix: string;
  const secretsSent = new Set<string>();

  const owner = {
    id: randomUUID(),
    roles: ['msme_owner'],
    permissions: ['msme.read', 'msme.write', 'msme.delete'],
  };
  const admin = {
    id: randomUUID(),
    roles: ['admin'],
    permissions: ['msme.read', 'msme.write', 'msme.delete'],
  };
  const buyer = { id: randomUUID(), roles: ['buyer'], permissions: ['msme.read'] };
  type Caller = typeof owner;

  async function tokenOf(caller: Caller, overrides: Record<string, unknown> = {}): Promise<string> {
    const token = await signer.sign(
      accessClaims(caller.id, {
        roles: caller.roles,
        permissions: caller.permissions,
        ...overrides,
      }),
    );
    secretsSent.add(token);
    return token;
  }

  async function call(
    path: string,
    init: { method?: string; token?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body,
    });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { raw: text };
    }
    return { status: response.status, headers: response.headers, body };
  }

  beforeAll(async () => {
    signer = await AttackSigner.start();
    prefix = testKeyPrefix(`pipeline-${platform}`);
    ({ app, url } = await startPipelineApp({
      jwksUrl: signer.jwksUrl,
      redisUrl: TEST_REDIS_URL,
      keyPrefix: prefix,
      platform,
      logStream: logs,
    }));
  });

  afterAll(async () => {
    await app.close();
    await signer.close();
    await deleteKeys(prefix);
  });

  describe('authentication', () => {
    it('should accept a valid access token and inject the principal', async () => {
      const answer = await call('/api/sample/me', { token: await tokenOf(owner) });

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ user_id: owner.id, token_type: 'access' });
    });

    it('should refuse a request without a token', async () => {
      const answer = await call('/api/sample/me');

      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('should refuse a token once it expires, though it was accepted before', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await tokenOf(owner, { iat: now, exp: now + 2 });
      expect((await call('/api/sample/me', { token })).status).toBe(200);

      await new Promise((resolve) => setTimeout(resolve, (now + 2) * 1000 - Date.now() + 50));
      const answer = await call('/api/sample/me', { token });

      expect(answer.status).toBe(401);
      expect(answer.body.detail).toBe('The token has expired.');
    });

    it('should let @Public() routes through without a token', async () => {
      expect((await call('/api/sample/open')).status).toBe(200);
      expect((await call('/api/catalogue')).status).toBe(200);
    });

    it('should require a caller on a method with permissions under a @Public() controller', async () => {
      expect((await call('/api/catalogue', { method: 'POST' })).status).toBe(401);
      expect(
        (await call('/api/catalogue', { method: 'POST', token: await tokenOf(buyer) })).status,
      ).toBe(403);
      expect(
        (await call('/api/catalogue', { method: 'POST', token: await tokenOf(owner) })).status,
      ).toBe(201);
    });

    it('should read class-level decorators per controller when controllers share a handler', async () => {
      const token = await tokenOf(owner);
      expect((await call('/api/public-status')).status).toBe(200);
      expect((await call('/api/plain-status')).status).toBe(401);

      const guarded = await call('/api/guarded-status', { token });
      expect(guarded.status).toBe(200);
      expect(guarded.headers.get('ratelimit-limit')).toBe('5');
      const plain = await call('/api/plain-status', { token });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('ratelimit-limit')).toBe('100');
    });

    it('should accept an API token only on routes that opt in, by header or X-API-Key', async () => {
      const apiToken = await tokenOf(owner, { token_type: 'api_token', sid: undefined });

      expect((await call('/api/sample/reports', { token: apiToken })).status).toBe(200);
      expect(
        (await call('/api/sample/reports', { headers: { 'x-api-key': apiToken } })).status,
      ).toBe(200);
      expect((await call('/api/sample/me', { token: apiToken })).status).toBe(401);
    });

    it('should refuse an access token sent as X-API-Key', async () => {
      const answer = await call('/api/sample/reports', {
        headers: { 'x-api-key': await tokenOf(owner) },
      });

      expect(answer.status).toBe(401);
    });
  });

  describe('JWT attack list', () => {
    const attacks: [string, () => Promise<string>][] = [
      ['alg none', async () => signer.unsigned(accessClaims(owner.id))],
      [
        'HS256 signed with the public key',
        async () => signer.hs256WithPublicKey(accessClaims(owner.id)),
      ],
      [
        'tampered payload',
        async () => {
          const [header, , signature] = (await tokenOf(owner)).split('.');
          const payload = Buffer.from(
            JSON.stringify(accessClaims(owner.id, { roles: ['admin'] })),
          ).toString('base64url');
          return `${header}.${payload}.${signature}`;
        },
      ],
      ['wrong iss', () => tokenOf(owner, { iss: 'evil.example' })],
      ['wrong aud', () => tokenOf(owner, { aud: 'another-api' })],
      ['expired', () => tokenOf(owner, { iat: 1_000_000, exp: 1_000_600 })],
      ['nbf in the future', () => tokenOf(owner, { nbf: Math.floor(Date.now() / 1000) + 3600 })],
      ['unknown kid', () => signer.signWithForeignKey(accessClaims(owner.id), 'no-such-key')],
      [
        'kid with path characters',
        () => signer.signWithForeignKey(accessClaims(owner.id), '../../etc/passwd'),
      ],
      ['refresh token on an access route', () => tokenOf(owner, { token_type: 'refresh' })],
      [
        'password-reset token on an access route',
        () => tokenOf(owner, { token_type: 'password_reset' }),
      ],
      [
        'bad signature',
        async () => {
          const [header, payload, signature] = (await tokenOf(owner)).split('.');
          const middle = signature.length >> 1;
          const flipped = signature[middle] === 'A' ? 'B' : 'A';
          return `${header}.${payload}.${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
        },
      ],
      ['claims of the wrong shape', () => tokenOf(owner, { roles: 'admin' })],
      ['a token just under the header limit', async () => `e30.${'x'.repeat(15_800)}.sig`],
      ['garbage', async () => 'not-a-jwt'],
    ];

    it.each(attacks)('should answer 401 to %s', async (_name, makeToken) => {
      const answer = await call('/api/sample/me', { token: await makeToken() });

      expect(answer.status).toBe(401);
      expect(answer.body.type).toMatch(/invalid-token$/);
    });

    it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b c', 'bearer'])(
      'should answer 401 to the malformed header "%s"',
      async (authorization) => {
        expect((await call('/api/sample/me', { headers: { authorization } })).status).toBe(401);
      },
    );
  });

  describe('authorization', () => {
    const documentId = randomUUID();
    beforeAll(() => documentOwners.set(documentId, owner.id));

    it.each([
      ['GET', '/api/sample/admin', admin, 200],
      ['GET', '/api/sample/admin', owner, 403],
      ['POST', '/api/sample/notes', owner, 400],
      ['POST', '/api/sample/notes', buyer, 403],
      ['GET', `/api/sample/documents/${documentId}`, owner, 200],
      ['GET', `/api/sample/documents/${documentId}`, admin, 200],
      ['GET', `/api/sample/documents/${documentId}`, { ...buyer, id: randomUUID() }, 403],
      ['GET', `/api/sample/documents/${randomUUID()}`, owner, 404],
      ['GET', '/api/sample/documents/not-a-uuid', owner, 400],
      ['DELETE', `/api/sample/documents/${documentId}`, owner, 200],
      ['DELETE', `/api/sample/documents/${documentId}`, admin, 403],
      ['DELETE', '/api/sample/documents/not-a-uuid', buyer, 403],
    ] as const)('should answer %s %s for %j with %i', async (method, path, caller, status) => {
      const answer = await call(path, {
        method,
        token: await tokenOf(caller),
        body: method === 'POST' ? '{}' : undefined,
      });

      expect(answer.status).toBe(status);
    });

    it('should log each denial as a permission_denied security event', async () => {
      await call('/api/sample/admin', { token: await tokenOf(buyer) });

      const denial = logs
        .records()
        .find((line) => line.event_type === 'permission_denied' && line.user_id === buyer.id);
      expect(denial).toMatchObject({
        security_event: true,
        requires_audit: true,
        service: 'pipeline-test',
      });
    });
  });

  describe('validation and errors', () => {
    it('should answer 400 with one entry per field for an invalid body', async () => {
      const answer = await call('/api/sample/notes', {
        method: 'POST',
        token: await tokenOf(owner),
        body: JSON.stringify({ title: 7, stars: -1, extra: true }),
      });

      expect(answer.status).toBe(400);
      const fields = (answer.body.errors as { field: string }[]).map((error) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['title', 'stars', 'extra']));
    });

    it('should refuse prototype keys with 400', async () => {
      const answer = await call('/api/sample/notes', {
        method: 'POST',
        token: await tokenOf(owner),
        body: '{"title":"x","stars":1,"__proto__":{"admin":true}}',
      });

      expect(answer.status).toBe(400);
    });

    it('should record injection-shaped input as suspicious activity and still answer it', async () => {
      const answer = await call('/api/sample/notes', {
        method: 'POST',
        token: await tokenOf(owner),
        body: JSON.stringify({ title: "x' OR '1'='1' --", stars: 1 }),
      });

      expect(answer.status).toBe(201);
      const event = logs
        .records()
        .find((line) => line.event_type === 'suspicious_activity' && line.user_id === owner.id);
      expect(event).toMatchObject({ details: { type: 'injection', fields: ['title'] } });
      expect(JSON.stringify(event)).not.toContain("OR '1'='1'");
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(
        /suspicious_activity_total\{type="injection",service="pipeline-test"\} [1-9]/,
      );
    });

    it('should answer a thrown error with a 500 that says nothing of its cause', async () => {
      const answer = await call('/api/sample/boom', { token: await tokenOf(owner) });

      expect(answer.status).toBe(500);
      expect(JSON.stringify(answer.body)).not.toMatch(/hunter2|stack|at /);
    });
  });

  describe('headers', () => {
    const expectSecurityHeaders = (answer: Answer) => {
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer-when-downgrade');
      expect(answer.headers.get('permissions-policy')).toBe(
        'geolocation=(), microphone=(), camera=()',
      );
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(answer.headers.get('x-xss-protection')).toBe('0');
      expect(answer.headers.get('x-request-id')).toBeTruthy();
      expect(answer.headers.get('x-powered-by')).toBeNull();
      expect(answer.headers.get('strict-transport-security')).toBeNull();
    };

    it.each([
      ['200', { path: '/api/sample/open' }, 200],
      ['400', { path: '/api/sample/notes', method: 'POST', auth: true, body: '{}' }, 400],
      ['401', { path: '/api/sample/me' }, 401],
      ['403', { path: '/api/sample/admin', auth: true }, 403],
      ['404', { path: '/no/such/route' }, 404],
      [
        '413',
        {
          path: '/api/sample/notes',
          method: 'POST',
          auth: true,
          body: JSON.stringify({ title: 'x'.repeat(110_000) }),
        },
        413,
      ],
      [
        '415',
        {
          path: '/api/sample/notes',
          method: 'POST',
          auth: true,
          body: 'a=b',
          type: 'application/x-www-form-urlencoded',
        },
        415,
      ],
      ['500', { path: '/api/sample/server-error', auth: true }, 500],
    ] as const)('should be set on a %s answer', async (_label, request, status) => {
      const answer = await call(request.path, {
        method: 'method' in request ? request.method : 'GET',
        token: 'auth' in request ? await tokenOf(owner) : undefined,
        body: 'body' in request ? request.body : undefined,
        headers: 'type' in request ? { 'content-type': request.type } : {},
      });

      expect(answer.status).toBe(status);
      expectSecurityHeaders(answer);
      expect(answer.headers.get('content-type') ?? '').toMatch(
        status >= 400 ? /problem\+json/ : /json/,
      );
      if (status >= 400)
        expect(answer.body.correlation_id).toBe(answer.headers.get('x-request-id'));
      expect(JSON.stringify(answer.body)).not.toContain('internal detail that must not leak');
    });

    it('should keep a well-formed X-Request-Id and replace a malformed one', async () => {
      const kept = await call('/api/sample/open', {
        headers: { 'x-request-id': 'trace-123.abc_DEF' },
      });
      const replaced = await call('/api/sample/open', {
        headers: { 'x-request-id': 'bad id with spaces' },
      });

      expect(kept.headers.get('x-request-id')).toBe('trace-123.abc_DEF');
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('should answer 431 with the security headers when request headers exceed 16 KiB', async () => {
      const { status, headers } = await rawGet(url, { 'x-padding': 'p'.repeat(17_000) });

      expect(status).toBe(431);
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['content-type']).toBe('application/problem+json');
    });
  });

  describe('rate limiting', () => {
    it('should apply the api policy per user to authenticated routes, after authentication', async () => {
      const heavy = { ...owner, id: randomUUID() };
      const token = await tokenOf(heavy);
      const answers: Answer[] = [];
      for (let i = 0; i < 101; i += 1) answers.push(await call('/api/sample/me', { token }));

      expect(answers[0].headers.get('ratelimit-limit')).toBe('100');
      expect(answers[0].headers.get('ratelimit-remaining')).toBe('99');
      expect(answers.slice(0, 100).every((answer) => answer.status === 200)).toBe(true);
      expect(answers[100].status).toBe(429);
      expect(Number(answers[100].headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answers[100].body.type).toMatch(/rate-limited$/);
      expect((await call('/api/sample/me', { token: await tokenOf(owner) })).status).toBe(200);
      expect((await call('/api/sample/me')).status).toBe(401);
    });
  });

  describe('IP blocking', () => {
    it('should answer 403 to a blocked range on every route but health and metrics, then let it back', async () => {
      const blocks = app.get(IpBlockService);
      const block = await blocks.blockIp('127.0.0.0/8', 60, 'pipeline test');

      expect((await call('/api/sample/open')).status).toBe(403);
      expect((await call('/no/such/route')).status).toBe(403);
      expect((await call('/health/live')).status).toBe(200);
      expect((await call('/metrics')).status).toBe(200);

      await blocks.unblockIp(block.id);
      expect((await call('/api/sample/open')).status).toBe(200);
    });
  });

  describe('revocation', () => {
    it('should refuse a revoked token and a token of a revoked session', async () => {
      const revocation = app.get(RevocationService);
      const claims = accessClaims(owner.id, { roles: owner.roles, permissions: owner.permissions });
      const token = await signer.sign(claims);
      const sibling = await signer.sign({ ...claims, jti: randomUUID() });
      expect((await call('/api/sample/me', { token })).status).toBe(200);

      await revocation.revokeToken(claims.jti, claims.exp);
      expect((await call('/api/sample/me', { token })).status).toBe(401);
      expect((await call('/api/sample/me', { token: sibling })).status).toBe(200);

      await revocation.revokeSession(claims.sid, claims.exp);
      expect((await call('/api/sample/me', { token: sibling })).status).toBe(401);
    });
  });

  it('should label request durations with route patterns, never raw paths', async () => {
    const id = randomUUID();
    await call(`/api/sample/documents/${id}`, { token: await tokenOf(owner) });
    await call(`/unknown/${id}`);

    const metrics = await (await fetch(`${url}/metrics`)).text();

    expect(metrics).toContain('route="/api/sample/documents/:document_id"');
    expect(metrics).toContain('route="unmatched"');
    expect(metrics).not.toContain(id);
    expect(metrics).not.toMatch(/route="\/(health|metrics)/);
  });

  it('should never log a token or password that was sent', async () => {
    await call('/api/sample/notes', {
      method: 'POST',
      token: await tokenOf(owner),
      body: JSON.stringify({ title: 'x', stars: 1, password: 'correct horse battery staple' }),
    });
    secretsSent.add('correct horse battery staple');

    expect(logs.lines.length).toBeGreaterThan(10);
    expect(logs.leaked(secretsSent)).toEqual([]);
  });
});

function rawGet(base: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>(
    (resolve, reject) => {
      const request = httpRequest(`${base}/api/sample/open`, { headers }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, headers: response.headers });
      });
      request.on('error', reject);
      request.end();
    },
  );
}
