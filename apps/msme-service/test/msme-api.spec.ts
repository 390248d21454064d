import { Client } from 'pg';
import request from 'supertest';

import {
  deleteSharedKeys,
  ServiceUnderTest,
  TestRevoker,
} from '../../../test/support/platform-services';
import { testKeyPrefix } from '../../../test/support/redis';
import { TestTokenIssuer, testUser, type TestUser } from '../../../test/support/tokens';

const VALID_MSME = {
  name: 'Shakti Precision Tools',
  industry: 'Precision engineering',
  city: 'Pune',
  state: 'Maharashtra',
  annual_revenue: 45_000_000,
  employees: 42,
  year_established: 2009,
  gst_number: '27AAPFU0939F1ZV',
};
const UNKNOWN_ID = '5b0f9a3e-8f5c-4a43-9d7e-3f1b2c4d5e6f';

describe('msme-service API', () => {
  const ownerA = testUser('msme_owner');
  const ownerB = testUser('msme_owner');
  const admin = testUser('admin');
  const buyer = testUser('buyer');
  const investor = testUser('investor');
  const tokens = new Map<TestUser, string>();
  let shared: { jwksUrl: string; redisKeyPrefix: string };
  let issuer: TestTokenIssuer;
  let service: ServiceUnderTest;
  let sql: Client;

  const api = () => request(service.url);
  const bearer = (user: TestUser) => `Bearer ${tokens.get(user)}`;

  async function createMsme(user: TestUser, body: object = VALID_MSME): Promise<string> {
    const response = await api().post('/api/msme').set('Authorization', bearer(user)).send(body);
    expect(response.status).toBe(201);
    return response.body.id;
  }

  async function rowCounts(): Promise<{ msmes: number; audit: number }> {
    const { rows } = await sql.query(
      `SELECT (SELECT count(*) FROM msmes)::int AS msmes, (SELECT count(*) FROM audit_logs)::int AS audit`,
    );
    return rows[0];
  }

  async function auditRowsFor(id: string) {
    const { rows } = await sql.query(
      `SELECT action, resource, user_id, correlation_id, details FROM audit_logs
       WHERE event_type = 'data_change' AND details->>'entity_id' = $1 ORDER BY seq`,
      [id],
    );
    return rows;
  }

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    shared = { jwksUrl: issuer.jwksUrl, redisKeyPrefix: testKeyPrefix('msme-api') };
    // The api policy is not under test here and this file sends more than 100 requests per user.
    service = await ServiceUnderTest.start('msme', shared, {
      RATE_LIMIT_API: '100000/60',
      LOG_LEVEL: 'info',
    });
    sql = new Client({ connectionString: service.database.url });
    await sql.connect();
    for (const user of [ownerA, ownerB, admin, buyer, investor]) {
      tokens.set(user, (await issuer.accessToken(user)).token);
    }
  });

  afterAll(async () => {
    await sql?.end();
    await service?.destroy();
    await issuer?.close();
    if (shared) await deleteSharedKeys(shared);
  });

  describe('POST /api/msme', () => {
    it('should create an MSME owned by the caller and audit it in the same transaction', async () => {
      const response = await api()
        .post('/api/msme')
        .set('Authorization', bearer(ownerA))
        .set('X-Request-Id', 'create-msme-1')
        .send(VALID_MSME);

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        ...VALID_MSME,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        owner_id: ownerA.userId,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(await auditRowsFor(response.body.id)).toEqual([
        expect.objectContaining({
          action: 'insert',
          resource: 'msme',
          user_id: ownerA.userId,
          correlation_id: 'create-msme-1',
        }),
      ]);
    });

    it('should store a missing GSTIN as null', async () => {
      const withoutGstin = { ...VALID_MSME, gst_number: undefined };

      const response = await api()
        .post('/api/msme')
        .set('Authorization', bearer(ownerA))
        .send(withoutGstin);

      expect(response.status).toBe(201);
      expect(response.body.gst_number).toBeNull();
    });

    it.each([
      ['a buyer', buyer, 403],
      ['an investor', investor, 403],
    ])('should refuse %s', async (_who, user, status) => {
      const before = await rowCounts();

      const response = await api()
        .post('/api/msme')
        .set('Authorization', bearer(user))
        .send(VALID_MSME);

      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await rowCounts()).msmes).toBe(before.msmes);
    });

    it('should refuse a request without a token with 401', async () => {
      const response = await api().post('/api/msme').send(VALID_MSME);

      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ status: 401, instance: '/api/msme' });
    });
  });

  describe('GET /api/msme', () => {
    let idsOfB: string[];

    beforeAll(async () => {
      idsOfB = [];
      for (let i = 0; i < 3; i += 1)
        idsOfB.push(await createMsme(ownerB, { ...VALID_MSME, name: `B ${i}` }));
    });

    it("should list only the caller's own MSMEs, newest first", async () => {
      const response = await api().get('/api/msme').set('Authorization', bearer(ownerB));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 3, page: 1, limit: 20 });
      expect(response.body.items.map((item: { id: string }) => item.id)).toEqual(
        [...idsOfB].reverse(),
      );
    });

    it('should page with page and limit', async () => {
      const response = await api()
        .get('/api/msme?page=2&limit=2')
        .set('Authorization', bearer(ownerB));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 3, page: 2, limit: 2 });
      expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([idsOfB[0]]);
    });

    it('should list every MSME for an admin', async () => {
      const { msmes } = await rowCounts();

      const response = await api().get('/api/msme?limit=100').set('Authorization', bearer(admin));

      expect(response.status).toBe(200);
      expect(response.body.total).toBe(msmes);
      const owners = new Set(
        response.body.items.map((item: { owner_id: string }) => item.owner_id),
      );
      expect(owners).toEqual(new Set([ownerA.userId, ownerB.userId]));
    });

    it('should give a buyer, who owns none, an empty page', async () => {
      const response = await api().get('/api/msme').set('Authorization', bearer(buyer));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], total: 0, page: 1, limit: 20 });
    });

    it.each([
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['page=abc', 'page'],
      ['page=1.5', 'page'],
      ['page=99999999999', 'page'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['owner_id=x', 'owner_id'],
    ])('should answer 400 problem+json to %s', async (query, field) => {
      const response = await api().get(`/api/msme?${query}`).set('Authorization', bearer(ownerB));

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    });
  });

  describe('GET /api/msme/:msme_id', () => {
    let idOfA: string;

    beforeAll(async () => {
      idOfA = await createMsme(ownerA);
    });

    it.each([
      ['should accept the owner', ownerA, 200],
      ['should accept an admin', admin, 200],
      ['should refuse another owner', ownerB, 403],
      ['should refuse a buyer', buyer, 403],
      ['should refuse an investor', investor, 403],
    ])('%s', async (_title, user, status) => {
      const response = await api().get(`/api/msme/${idOfA}`).set('Authorization', bearer(user));

      expect(response.status).toBe(status);
      if (status === 200)
        expect(response.body).toMatchObject({ id: idOfA, owner_id: ownerA.userId });
    });

    it.each([
      ['an owner', ownerA],
      ['an admin', admin],
    ])('should answer 404 to %s for an MSME that does not exist', async (_who, user) => {
      const response = await api()
        .get(`/api/msme/${UNKNOWN_ID}`)
        .set('Authorization', bearer(user));

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ status: 404, instance: `/api/msme/${UNKNOWN_ID}` });
    });

    it('should log the read as data_access, counted but not audited', async () => {
      const before = await dataAccessCount();
      const auditBefore = (await rowCounts()).audit;

      await api()
        .get(`/api/msme/${idOfA}`)
        .set('Authorization', bearer(ownerA))
        .set('X-Request-Id', 'read-msme-1')
        .expect(200);

      const events = service
        .logLines()
        .filter((line) => line.correlation_id === 'read-msme-1' && line.security_event);
      expect(events).toEqual([
        expect.objectContaining({
          event_type: 'data_access',
          service: 'msme-service',
          user_id: ownerA.userId,
          resource: 'msme',
          action: 'read',
          requires_audit: false,
          details: { msme_id: idOfA, owner_id: ownerA.userId },
        }),
      ]);
      expect(await dataAccessCount()).toBe(before + 1);
      expect((await rowCounts()).audit).toBe(auditBefore);
    });

    it('should log no token', () => {
      const logs = service.logText();

      expect(logs).toContain('"event_type":"data_access"');
      expect([...tokens.values()].filter((token) => logs.includes(token))).toEqual([]);
    });

    it('should refuse a request without a token with 401', async () => {
      const response = await api().get(`/api/msme/${idOfA}`);

      expect(response.status).toBe(401);
    });

    async function dataAccessCount(): Promise<number> {
      const metrics = await api().get('/metrics');
      const line = metrics.text
        .split('\n')
        .find(
          (entry) =>
            entry.startsWith('security_events_total{') &&
            entry.includes('event_type="data_access"'),
        );
      return line ? Number(line.split(' ').pop()) : 0;
    }
  });

  describe('PATCH /api/msme/:msme_id', () => {
    let idOfA: string;

    beforeAll(async () => {
      idOfA = await createMsme(ownerA);
    });

    it('should change the given fields for the owner and audit before and after', async () => {
      const response = await api()
        .patch(`/api/msme/${idOfA}`)
        .set('Authorization', bearer(ownerA))
        .send({ employees: 50, gst_number: null });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ ...VALID_MSME, employees: 50, gst_number: null });
      const update = (await auditRowsFor(idOfA)).find((row) => row.action === 'update');
      expect(update.details.before).toMatchObject({
        employees: 42,
        gst_number: VALID_MSME.gst_number,
      });
      expect(update.details.after).toMatchObject({ employees: 50, gst_number: null });
    });

    it.each([
      ['another owner', ownerB],
      ['an admin, who is not the owner', admin],
      ['a buyer', buyer],
    ])('should refuse %s with 403', async (_who, user) => {
      const response = await api()
        .patch(`/api/msme/${idOfA}`)
        .set('Authorization', bearer(user))
        .send({ employees: 1 });

      expect(response.status).toBe(403);
    });

    it('should answer 404 for an MSME that does not exist', async () => {
      const response = await api()
        .patch(`/api/msme/${UNKNOWN_ID}`)
        .set('Authorization', bearer(ownerA))
        .send({ employees: 1 });

      expect(response.status).toBe(404);
    });
  });

  describe('DELETE /api/msme/:msme_id', () => {
    it.each([
      ['another owner', ownerB],
      ['a buyer', buyer],
      ['an investor', investor],
    ])('should refuse %s with 403 and keep the MSME', async (_who, user) => {
      const id = await createMsme(ownerA);

      const response = await api().delete(`/api/msme/${id}`).set('Authorization', bearer(user));

      expect(response.status).toBe(403);
      await api().get(`/api/msme/${id}`).set('Authorization', bearer(ownerA)).expect(200);
    });

    it.each([
      ['the owner', ownerA],
      ['an admin', admin],
    ])('should let %s delete it, after which it is gone (404)', async (_who, user) => {
      const id = await createMsme(ownerA);

      const response = await api().delete(`/api/msme/${id}`).set('Authorization', bearer(user));

      expect(response.status).toBe(204);
      await api().get(`/api/msme/${id}`).set('Authorization', bearer(ownerA)).expect(404);
      expect((await auditRowsFor(id)).map((row) => row.action)).toEqual(['insert', 'soft_remove']);
    });
  });

  describe('API tokens', () => {
    it('should let a token limited to msme.read read and list but not create', async () => {
      const id = await createMsme(ownerA);
      const { token } = await issuer.apiToken(ownerA, ['msme.read']);

      const read = await api().get(`/api/msme/${id}`).set('X-API-Key', token);
      const list = await api().get('/api/msme').set('Authorization', `Bearer ${token}`);
      const create = await api().post('/api/msme').set('X-API-Key', token).send(VALID_MSME);

      expect([read.status, list.status, create.status]).toEqual([200, 200, 403]);
    });

    it('should let a token with msme.write create for its user', async () => {
      const { token } = await issuer.apiToken(ownerA, ['msme.read', 'msme.write']);

      const response = await api().post('/api/msme').set('X-API-Key', token).send(VALID_MSME);

      expect(response.status).toBe(201);
      expect(response.body.owner_id).toBe(ownerA.userId);
    });
  });

  describe('revocation', () => {
    let revoker: TestRevoker;

    beforeAll(async () => {
      revoker = await TestRevoker.start(shared);
    });

    afterAll(async () => {
      await revoker?.stop();
    });

    it.each([
      [
        'the token',
        (token: { jti: string; sid?: string; expiresAtSeconds: number }) =>
          revoker.revocation.revokeToken(token.jti, token.expiresAtSeconds),
      ],
      [
        'its session',
        (token: { jti: string; sid?: string; expiresAtSeconds: number }) =>
          revoker.revocation.revokeSession(token.sid as string, token.expiresAtSeconds),
      ],
    ])(
      'should answer 401 within one second once %s is revoked elsewhere',
      async (_what, revoke) => {
        const user = testUser('msme_owner');
        const token = await issuer.accessToken(user);
        await api().get('/api/msme').set('Authorization', `Bearer ${token.token}`).expect(200);

        await revoke(token);

        expect(await statusWithinOneSecond(token.token, 401)).toBe(401);
      },
    );

    it('should refuse tokens issued before revokeUserTokensBefore and accept later ones', async () => {
      const user = testUser('msme_owner');
      const early = await issuer.accessToken(user);

      const validAfterSeconds = await revoker.revocation.revokeUserTokensBefore(user.userId);
      const late = await issuer.accessToken(user, { iat: validAfterSeconds });

      expect(await statusWithinOneSecond(early.token, 401)).toBe(401);
      await api().get('/api/msme').set('Authorization', `Bearer ${late.token}`).expect(200);
    });

    async function statusWithinOneSecond(token: string, wanted: number): Promise<number> {
      const deadline = Date.now() + 1_000;
      let status = 0;
      do {
        status = (await api().get('/api/msme').set('Authorization', `Bearer ${token}`)).status;
      } while (status !== wanted && Date.now() < deadline);
      return status;
    }
  });

  describe('bad input', () => {
    it.each([
      ['an empty body', {}, 'name'],
      ['a missing name', { ...VALID_MSME, name: undefined }, 'name'],
      ['an empty name', { ...VALID_MSME, name: '' }, 'name'],
      ['a blank name', { ...VALID_MSME, name: '   ' }, 'name'],
      ['a name with a NUL character', { ...VALID_MSME, name: 'Bad\u0000Name' }, 'name'],
      ['a name over 200 characters', { ...VALID_MSME, name: 'x'.repeat(201) }, 'name'],
      ['a numeric name', { ...VALID_MSME, name: 123 }, 'name'],
      ['an object as city', { ...VALID_MSME, city: { $ne: null } }, 'city'],
      ['a negative revenue', { ...VALID_MSME, annual_revenue: -1 }, 'annual_revenue'],
      ['a huge revenue', { ...VALID_MSME, annual_revenue: 1e16 }, 'annual_revenue'],
      ['a fractional revenue', { ...VALID_MSME, annual_revenue: 10.5 }, 'annual_revenue'],
      ['a revenue as a string', { ...VALID_MSME, annual_revenue: '1000' }, 'annual_revenue'],
      ['negative employees', { ...VALID_MSME, employees: -3 }, 'employees'],
      ['huge employees', { ...VALID_MSME, employees: 2_147_483_648 }, 'employees'],
      ['employees as a boolean', { ...VALID_MSME, employees: true }, 'employees'],
      ['a year before 1800', { ...VALID_MSME, year_established: 1799 }, 'year_established'],
      ['a year in the future', { ...VALID_MSME, year_established: 3000 }, 'year_established'],
      [
        'a GSTIN with a wrong check character',
        { ...VALID_MSME, gst_number: '27AAPFU0939F1ZA' },
        'gst_number',
      ],
      ['a GSTIN as a number', { ...VALID_MSME, gst_number: 27 }, 'gst_number'],
      ['an unknown field', { ...VALID_MSME, is_verified: true }, 'is_verified'],
      ['an owner_id chosen by the caller', { ...VALID_MSME, owner_id: ownerB.userId }, 'owner_id'],
    ])(
      'should refuse a create with %s: 400 problem+json, nothing written',
      async (_case, body, field) => {
        const before = await rowCounts();

        const response = await api()
          .post('/api/msme')
          .set('Authorization', bearer(ownerA))
          .send(body);

        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ status: 400, instance: '/api/msme' });
        expect(response.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
        expect(await rowCounts()).toEqual(before);
      },
    );

    it.each([
      ['an array body', [VALID_MSME]],
      ['a JSON string body', '"text"'],
    ])('should refuse a create with %s with 400 and write nothing', async (_case, body) => {
      const before = await rowCounts();

      const response = await api()
        .post('/api/msme')
        .set('Authorization', bearer(ownerA))
        .set('Content-Type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body));

      expect(response.status).toBe(400);
      expect(await rowCounts()).toEqual(before);
    });

    it.each([
      ['a null name', { name: null }, 'name'],
      ['a null revenue', { annual_revenue: null }, 'annual_revenue'],
      ['a negative revenue', { annual_revenue: -5 }, 'annual_revenue'],
      ['a new owner', { owner_id: ownerB.userId }, 'owner_id'],
      ['an id', { id: UNKNOWN_ID }, 'id'],
    ])(
      'should refuse an update with %s: 400 problem+json, nothing written',
      async (_case, body, field) => {
        const id = await createMsme(ownerA);
        const before = await rowCounts();

        const response = await api()
          .patch(`/api/msme/${id}`)
          .set('Authorization', bearer(ownerA))
          .send(body);

        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
        expect(await rowCounts()).toEqual(before);
      },
    );

    it.each([
      ['get', 'not-a-uuid'],
      ['get', '123'],
      ['get', "1' OR '1'='1"],
      ['patch', 'not-a-uuid'],
      ['delete', 'not-a-uuid'],
      ['delete', '5b0f9a3e8f5c4a439d7e3f1b2c4d5e6f0'],
    ] as const)(
      'should answer %s with a non-UUID id %p with 400 problem+json',
      async (method, id) => {
        const before = await rowCounts();

        const response = await api()
          [method](`/api/msme/${encodeURIComponent(id)}`)
          .set('Authorization', bearer(ownerA))
          .send(method === 'patch' ? { employees: 1 } : undefined);

        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.errors).toEqual([expect.objectContaining({ field: 'msme_id' })]);
        expect(await rowCounts()).toEqual(before);
      },
    );

    it('should check permissions before the id: a buyer deleting a non-UUID gets 403', async () => {
      const response = await api()
        .delete('/api/msme/not-a-uuid')
        .set('Authorization', bearer(buyer));

      expect(response.status).toBe(403);
    });
  });

  describe('GET /docs-json', () => {
    it('should document every route', async () => {
      const response = await api().get('/docs-json');

      expect(response.status).toBe(200);
      expect(Object.keys(response.body.paths['/api/msme']).sort()).toEqual(['get', 'post']);
      expect(Object.keys(response.body.paths['/api/msme/{msme_id}']).sort()).toEqual([
        'delete',
        'get',
        'patch',
      ]);
      expect(response.body.components.schemas.CreateMsmeDto.required).toEqual(
        expect.arrayContaining(['name', 'annual_revenue', 'year_established']),
      );
    });
  });
});
