import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

import { Client } from 'pg';
import request from 'supertest';

import {
  deleteSharedKeys,
  ServiceUnderTest,
  TestRevoker,
} from '../../../test/support/platform-services';
import { freePort, testKeyPrefix } from '../../../test/support/redis';
import { TestTokenIssuer, testUser, type TestUser } from '../../../test/support/tokens';

const MSME = {
  name: 'Shakti Precision Tools',
  industry: 'Precision engineering',
  city: 'Pune',
  state: 'Maharashtra',
  annual_revenue: 45_000_000,
  employees: 42,
  year_established: 2009,
};
const UNKNOWN_ID = '5b0f9a3e-8f5c-4a43-9d7e-3f1b2c4d5e6f';
const NO_LIMIT = '100000/60';

type StubMode = 'ok' | 'slow' | 'error' | 'malformed';

/** Plays msme-service for the cases the real one cannot: slow, broken, and header checks. */
class MsmeServiceStub {
  mode: StubMode = 'ok';
  ownerId: string = randomUUID();
  readonly seen: IncomingHttpHeaders[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<MsmeServiceStub> {
    const port = await freePort();
    const stub: MsmeServiceStub = new MsmeServiceStub(
      createServer((incoming, response) => {
        stub.seen.push(incoming.headers);
        if (stub.mode === 'slow') return;
        const status = stub.mode === 'error' ? 500 : 200;
        const id = (incoming.url ?? '').split('/').pop();
        const body =
          stub.mode === 'malformed'
            ? { id, owner_id: stub.ownerId, industry: 'Dairy', annual_revenue: '12 lakh' }
            : { id, owner_id: stub.ownerId, industry: 'Dairy', annual_revenue: 12_000_000 };
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      }),
      `http://127.0.0.1:${port}`,
    );
    await new Promise<void>((resolve) => stub.server.listen(port, '127.0.0.1', resolve));
    return stub;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('valuation-service API', () => {
  const ownerA = testUser('msme_owner');
  const ownerB = testUser('msme_owner');
  const admin = testUser('admin');
  const buyer = testUser('buyer');
  const investor = testUser('investor');
  const tokens = new Map<TestUser, string>();
  let shared: { jwksUrl: string; redisKeyPrefix: string };
  let issuer: TestTokenIssuer;
  let msme: ServiceUnderTest;
  let valuation: ServiceUnderTest;
  let sql: Client;
  let msmeOfA: string;

  const api = () => request(valuation.url);
  const bearer = (user: TestUser) => `Bearer ${tokens.get(user)}`;

  async function tokenOf(user: TestUser): Promise<string> {
    if (!tokens.has(user)) tokens.set(user, (await issuer.accessToken(user)).token);
    return tokens.get(user) as string;
  }

  async function createMsme(user: TestUser): Promise<string> {
    const response = await request(msme.url)
      .post('/api/msme')
      .set('Authorization', `Bearer ${await tokenOf(user)}`)
      .send(MSME);
    expect(response.status).toBe(201);
    return response.body.id;
  }

  /** A new owner's fresh MSME, and a request to value it: a token bucket of its own. */
  async function valuationOfNewOwnersMsme(): Promise<() => request.Test> {
    const owner = testUser('msme_owner');
    const msmeId = await createMsme(owner);
    return () =>
      api().post('/api/valuation').set('Authorization', bearer(owner)).send({ msme_id: msmeId });
  }

  async function valuationCount(): Promise<number> {
    const { rows } = await sql.query('SELECT count(*)::int AS count FROM valuations');
    return rows[0].count;
  }

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    shared = { jwksUrl: issuer.jwksUrl, redisKeyPrefix: testKeyPrefix('valuation-api') };
    msme = await ServiceUnderTest.start('msme', shared, { RATE_LIMIT_API: NO_LIMIT });
    valuation = await ServiceUnderTest.start('valuation', shared, {
      RATE_LIMIT_API: NO_LIMIT,
      MSME_SERVICE_URL: msme.url,
      MSME_SERVICE_TIMEOUT_MS: '1000',
    });
    sql = new Client({ connectionString: valuation.database.url });
    await sql.connect();
    for (const user of [ownerA, ownerB, admin, buyer, investor]) await tokenOf(user);
    msmeOfA = await createMsme(ownerA);
  });

  afterAll(async () => {
    await sql?.end();
    await valuation?.destroy();
    await msme?.destroy();
    await issuer?.close();
    if (shared) await deleteSharedKeys(shared);
  });

  describe('POST /api/valuation', () => {
    it('should value the MSME by the EBITDA multiple, store the inputs and audit it', async () => {
      const response = await api()
        .post('/api/valuation')
        .set('Authorization', bearer(ownerA))
        .set('X-Request-Id', 'value-msme-1')
        .send({ msme_id: msmeOfA, ebitda: 6_500_000, growth_rate: 12.5 });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        msme_id: msmeOfA,
        owner_id: ownerA.userId,
        method: 'ebitda_multiple',
        value_inr: 41_437_500,
        low_inr: 35_221_875,
        high_inr: 47_653_125,
        inputs: {
          method_version: 'multiples-v1',
          industry: 'Precision engineering',
          sector: 'manufacturing',
          annual_revenue: 45_000_000,
          ebitda: 6_500_000,
          growth_rate: 12.5,
          multiple: 6,
          growth_factor: 1.0625,
          range_percent: 15,
        },
        created_at: expect.any(String),
      });
      const { rows } = await sql.query(
        `SELECT action, resource, correlation_id FROM audit_logs WHERE details->>'entity_id' = $1`,
        [response.body.id],
      );
      expect(rows).toEqual([
        { action: 'insert', resource: 'valuation', correlation_id: 'value-msme-1' },
      ]);
    });

    it('should give the same figures for the same inputs', async () => {
      const send = () =>
        api()
          .post('/api/valuation')
          .set('Authorization', bearer(ownerA))
          .send({ msme_id: msmeOfA });

      const [first, second] = [await send(), await send()];

      expect(first.status).toBe(201);
      expect(second.body.id).not.toBe(first.body.id);
      const figures = (body: Record<string, unknown>) => [
        body.value_inr,
        body.low_inr,
        body.high_inr,
      ];
      expect(figures(second.body)).toEqual(figures(first.body));
      expect(figures(first.body)).toEqual([36_000_000, 27_000_000, 45_000_000]);
    });

    it.each([
      ['should accept an admin, the MSME owner keeping ownership', () => admin, 201],
      ['should refuse another owner', () => ownerB, 403],
      ['should refuse an investor who does not own it', () => investor, 403],
      ['should refuse a buyer', () => buyer, 403],
    ])('%s', async (_title, who, status) => {
      const before = await valuationCount();

      const response = await api()
        .post('/api/valuation')
        .set('Authorization', bearer(who()))
        .send({ msme_id: msmeOfA });

      expect(response.status).toBe(status);
      if (status === 201) expect(response.body.owner_id).toBe(ownerA.userId);
      else expect(await valuationCount()).toBe(before);
    });

    it('should answer 404 for an MSME that does not exist', async () => {
      const response = await api()
        .post('/api/valuation')
        .set('Authorization', bearer(ownerB))
        .send({ msme_id: UNKNOWN_ID });

      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('should refuse a request without a token with 401', async () => {
      const response = await api().post('/api/valuation').send({ msme_id: msmeOfA });

      expect(response.status).toBe(401);
    });
  });

  describe('GET /api/valuation/:valuation_id', () => {
    let valuationOfA: { id: string };

    beforeAll(async () => {
      const response = await api()
        .post('/api/valuation')
        .set('Authorization', `Bearer ${await tokenOf(ownerA)}`)
        .send({ msme_id: msmeOfA, growth_rate: -10 });
      valuationOfA = response.body;
    });

    it.each([
      ['should accept the owner', () => ownerA, 200],
      ['should accept an admin', () => admin, 200],
      ['should refuse another owner', () => ownerB, 403],
      ['should refuse a buyer', () => buyer, 403],
      ['should refuse an investor', () => investor, 403],
    ])('%s', async (_title, who, status) => {
      const response = await api()
        .get(`/api/valuation/${valuationOfA.id}`)
        .set('Authorization', bearer(who()));

      expect(response.status).toBe(status);
      if (status === 200) expect(response.body).toEqual(valuationOfA);
    });

    it.each([
      [UNKNOWN_ID, 404],
      ['not-a-uuid', 400],
      ['12345', 400],
    ])('should answer %s with %p', async (id, status) => {
      const response = await api().get(`/api/valuation/${id}`).set('Authorization', bearer(ownerA));

      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('should refuse a request without a token with 401', async () => {
      await api().get(`/api/valuation/${valuationOfA.id}`).expect(401);
    });
  });

  describe('valuation token bucket', () => {
    it('should allow 10 valuations, then refuse the 11th with 429 and Retry-After', async () => {
      const send = await valuationOfNewOwnersMsme();

      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1) statuses.push((await send()).status);
      const refused = await send();

      expect(statuses).toEqual(Array(10).fill(201));
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['ratelimit-limit']).toBe('10');
      expect(refused.headers['ratelimit-remaining']).toBe('0');
    });
  });

  describe('API tokens', () => {
    it('should refuse valuations to a token limited to msme.read', async () => {
      const { token } = await issuer.apiToken(ownerA, ['msme.read']);

      const response = await api()
        .post('/api/valuation')
        .set('X-API-Key', token)
        .send({ msme_id: msmeOfA });

      expect(response.status).toBe(403);
    });

    it.each([
      ['Authorization: Bearer', (token: string) => ({ Authorization: `Bearer ${token}` })],
      ['X-API-Key', (token: string) => ({ 'X-API-Key': token })],
    ])(
      'should value with a token holding valuation.create and msme.read sent as %s',
      async (_how, headers) => {
        const owner = testUser('msme_owner');
        const msmeId = await createMsme(owner);
        const { token } = await issuer.apiToken(owner, ['msme.read', 'valuation.create']);

        const response = await api()
          .post('/api/valuation')
          .set(headers(token))
          .send({ msme_id: msmeId });

        expect(response.status).toBe(201);
        expect(response.body.owner_id).toBe(owner.userId);
      },
    );
  });

  describe('when msme-service is unavailable', () => {
    it('should answer 503 problem+json while it is stopped, and value again once it is back', async () => {
      const send = await valuationOfNewOwnersMsme();

      await msme.stop();
      const whileDown = await send();
      await msme.resume();
      const afterwards = await send();

      expect(whileDown.status).toBe(503);
      expect(whileDown.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(whileDown.body).toMatchObject({ status: 503, instance: '/api/valuation' });
      expect(afterwards.status).toBe(201);
    });

    describe('or misbehaves', () => {
      let stub: MsmeServiceStub;
      let againstStub: ServiceUnderTest;
      const caller = testUser('msme_owner');

      beforeAll(async () => {
        stub = await MsmeServiceStub.start();
        stub.ownerId = caller.userId;
        againstStub = await ServiceUnderTest.start('valuation', shared, {
          RATE_LIMIT_VALUATION: NO_LIMIT,
          MSME_SERVICE_URL: stub.url,
          MSME_SERVICE_TIMEOUT_MS: '300',
        });
      });

      afterAll(async () => {
        await againstStub?.destroy();
        await stub?.close();
      });

      it.each([
        ['slower than the timeout', 'slow'],
        ['answering 500', 'error'],
        ['answering a malformed MSME', 'malformed'],
      ] as const)('should answer 503 when it is %s, and write nothing', async (_case, mode) => {
        stub.mode = mode;

        const response = await request(againstStub.url)
          .post('/api/valuation')
          .set('Authorization', `Bearer ${await tokenOf(caller)}`)
          .send({ msme_id: randomUUID() });

        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({
          status: 503,
          type: expect.stringMatching(/dependency-unavailable$/),
        });
      });

      it("should forward the caller's token and X-Request-Id to msme-service", async () => {
        stub.mode = 'ok';
        stub.seen.length = 0;
        const token = await tokenOf(caller);

        const response = await request(againstStub.url)
          .post('/api/valuation')
          .set('Authorization', `Bearer ${token}`)
          .set('X-Request-Id', 'trace-abc-123')
          .send({ msme_id: randomUUID() });

        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({
          owner_id: caller.userId,
          method: 'revenue_multiple',
        });
        expect(stub.seen).toEqual([
          expect.objectContaining({
            authorization: `Bearer ${token}`,
            'x-request-id': 'trace-abc-123',
          }),
        ]);
      });
    });
  });

  describe('revocation', () => {
    it('should make both services answer 401 within one second', async () => {
      const revoker = await TestRevoker.start(shared);
      const owner = testUser('msme_owner');
      const msmeId = await createMsme(owner);
      const issued = await issuer.accessToken(owner);
      const auth = `Bearer ${issued.token}`;
      const onMsme = () => request(msme.url).get(`/api/msme/${msmeId}`).set('Authorization', auth);
      const onValuation = () =>
        api().post('/api/valuation').set('Authorization', auth).send({ msme_id: msmeId });
      await onMsme().expect(200);
      await onValuation().expect(201);

      await revoker.revocation.revokeSession(issued.sid as string, issued.expiresAtSeconds);
      const deadline = Date.now() + 1_000;
      let statuses: number[];
      do {
        statuses = [(await onMsme()).status, (await onValuation()).status];
      } while (statuses.some((status) => status !== 401) && Date.now() < deadline);
      await revoker.stop();

      expect(statuses).toEqual([401, 401]);
    });
  });

  describe('bad input', () => {
    it.each([
      ['a missing msme_id', { msme_id: undefined }, 'msme_id'],
      ['a non-UUID msme_id', { msme_id: 'abc' }, 'msme_id'],
      ['a numeric msme_id', { msme_id: 123 }, 'msme_id'],
      ['a huge EBITDA', { ebitda: 1e13 }, 'ebitda'],
      ['a huge negative EBITDA', { ebitda: -1e13 }, 'ebitda'],
      ['a fractional EBITDA', { ebitda: 10.5 }, 'ebitda'],
      ['an EBITDA as a string', { ebitda: '100' }, 'ebitda'],
      ['a growth rate as a string', { growth_rate: 'fast' }, 'growth_rate'],
      ['a growth rate over 1000 %', { growth_rate: 1001 }, 'growth_rate'],
      ['a growth rate under -100 %', { growth_rate: -101 }, 'growth_rate'],
      ['a growth rate with three decimals', { growth_rate: 12.345 }, 'growth_rate'],
      ['an owner_id chosen by the caller', { owner_id: UNKNOWN_ID }, 'owner_id'],
      ['a value chosen by the caller', { value_inr: 1 }, 'value_inr'],
    ])('should refuse %s: 400 problem+json, nothing written', async (_case, body, field) => {
      const caller = testUser('msme_owner');
      const before = await valuationCount();

      const response = await api()
        .post('/api/valuation')
        .set('Authorization', `Bearer ${await tokenOf(caller)}`)
        .send({ msme_id: msmeOfA, ...body });

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
      expect(await valuationCount()).toBe(before);
    });
  });

  describe('GET /docs-json', () => {
    it('should document both routes', async () => {
      const response = await api().get('/docs-json');

      expect(response.status).toBe(200);
      expect(Object.keys(response.body.paths['/api/valuation'])).toEqual(['post']);
      expect(Object.keys(response.body.paths['/api/valuation/{valuation_id}'])).toEqual(['get']);
    });
  });
});
