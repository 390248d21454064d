import request from 'supertest';

import { createAccount, login } from '../../auth-service/test/support/accounts';
import { AuthHarness } from '../../auth-service/test/support/auth-harness';
import { ServiceUnderTest } from '../../../test/support/platform-services';

const MSME = {
  name: 'Kaveri Dairy Foods',
  industry: 'Dairy',
  city: 'Mysuru',
  state: 'Karnataka',
  annual_revenue: 12_000_000,
  employees: 18,
  year_established: 2015,
};
const NO_LIMIT = '100000/60';

describe('auth-service, msme-service and valuation-service together', () => {
  let auth: AuthHarness;
  let msme: ServiceUnderTest;
  let valuation: ServiceUnderTest;

  const onMsme = () => request(msme.url);
  const onValuation = () => request(valuation.url);

  async function loggedInOwner(): Promise<string> {
    const account = await createAccount(auth, { roles: ['msme_owner'] });
    return (await login(auth, account)).access_token;
  }

  async function createMsme(token: string): Promise<string> {
    const response = await onMsme()
      .post('/api/msme')
      .set('Authorization', `Bearer ${token}`)
      .send(MSME);
    expect(response.status).toBe(201);
    return response.body.id;
  }

  /** Both services' answers, polled until both are `wanted` or one second has passed. */
  async function statusesWithinOneSecond(
    wanted: number,
    send: () => Promise<number>[],
  ): Promise<number[]> {
    const deadline = Date.now() + 1_000;
    let statuses: number[];
    do {
      statuses = await Promise.all(send());
    } while (statuses.some((status) => status !== wanted) && Date.now() < deadline);
    return statuses;
  }

  beforeAll(async () => {
    auth = await AuthHarness.start('cross-service');
    const shared = {
      jwksUrl: `${auth.main.url}/.well-known/jwks.json`,
      redisKeyPrefix: auth.redisKeyPrefix,
    };
    // Logged at info, as in production, so tests read the real lines.
    msme = await ServiceUnderTest.start('msme', shared, {
      RATE_LIMIT_API: NO_LIMIT,
      LOG_LEVEL: 'info',
    });
    valuation = await ServiceUnderTest.start('valuation', shared, {
      RATE_LIMIT_API: NO_LIMIT,
      LOG_LEVEL: 'info',
      MSME_SERVICE_URL: msme.url,
    });
  });

  afterAll(async () => {
    await valuation?.destroy();
    await msme?.destroy();
    await auth?.close();
  });

  it('should accept an access token from auth-service on both services', async () => {
    const token = await loggedInOwner();
    const msmeId = await createMsme(token);

    const read = await onMsme().get(`/api/msme/${msmeId}`).set('Authorization', `Bearer ${token}`);
    const valued = await onValuation()
      .post('/api/valuation')
      .set('Authorization', `Bearer ${token}`)
      .send({ msme_id: msmeId, growth_rate: 8 });

    expect(read.status).toBe(200);
    expect(valued.status).toBe(201);
    expect(valued.body).toMatchObject({ msme_id: msmeId, owner_id: read.body.owner_id });
  });

  it('should make both services answer 401 within one second after logout', async () => {
    const token = await loggedInOwner();
    const bearer = `Bearer ${token}`;
    const msmeId = await createMsme(token);
    const valued = await onValuation()
      .post('/api/valuation')
      .set('Authorization', bearer)
      .send({ msme_id: msmeId });
    const readBoth = () => [
      onMsme()
        .get(`/api/msme/${msmeId}`)
        .set('Authorization', bearer)
        .then((r) => r.status),
      onValuation()
        .get(`/api/valuation/${valued.body.id}`)
        .set('Authorization', bearer)
        .then((r) => r.status),
    ];
    const before = await Promise.all(readBoth());

    const logout = await auth.request('POST', '/api/auth/logout', { token });
    const after = await statusesWithinOneSecond(401, readBoth);

    expect(before).toEqual([200, 200]);
    expect(logout.status).toBe(204);
    expect(after).toEqual([401, 401]);
  });

  it('should let an API token limited to msme.read read but not create, and stop it once deleted', async () => {
    const token = await loggedInOwner();
    const msmeId = await createMsme(token);
    const issued = await auth.request('POST', '/api/auth/api-tokens', {
      token,
      body: { name: 'read-only export', permissions: ['msme.read'] },
    });
    expect(issued.status).toBe(201);
    auth.secrets.add(issued.body.token);
    const apiKey = issued.body.token as string;

    const read = await onMsme().get(`/api/msme/${msmeId}`).set('X-API-Key', apiKey);
    const list = await onMsme().get('/api/msme').set('Authorization', `Bearer ${apiKey}`);
    const createMsmeAnswer = await onMsme().post('/api/msme').set('X-API-Key', apiKey).send(MSME);
    const valueAnswer = await onValuation()
      .post('/api/valuation')
      .set('X-API-Key', apiKey)
      .send({ msme_id: msmeId });
    const deleted = await auth.request('DELETE', `/api/auth/api-tokens/${issued.body.id}`, {
      token,
    });
    const afterDelete = await statusesWithinOneSecond(401, () => [
      onMsme()
        .get(`/api/msme/${msmeId}`)
        .set('X-API-Key', apiKey)
        .then((r) => r.status),
    ]);

    expect([read.status, list.status]).toEqual([200, 200]);
    expect([createMsmeAnswer.status, valueAnswer.status]).toEqual([403, 403]);
    expect(deleted.status).toBe(204);
    expect(afterDelete).toEqual([401]);
  });

  it("should log msme-service's data access and valuation-service's external call under one correlation id", async () => {
    const token = await loggedInOwner();
    const msmeId = await createMsme(token);

    const valued = await onValuation()
      .post('/api/valuation')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Request-Id', 'cross-service-trace-1')
      .send({ msme_id: msmeId });
    const lines = [...msme.logLines(), ...valuation.logLines()].filter(
      (line) => line.correlation_id === 'cross-service-trace-1',
    );

    expect(valued.status).toBe(201);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          service: 'msme-service',
          security_event: true,
          event_type: 'data_access',
          user_id: valued.body.owner_id,
          requires_audit: false,
        }),
        expect.objectContaining({
          service: 'valuation-service',
          external_call: true,
          target: 'msme-service',
          method: 'GET',
          path: `/api/msme/${msmeId}`,
          status: 200,
          duration_ms: expect.any(Number),
        }),
      ]),
    );
  });

  it('should log none of the passwords and tokens handled, on any of the three', () => {
    const serviceLogs = msme.logText() + valuation.logText();

    expect(auth.leakedSecrets()).toEqual([]);
    expect([...auth.secrets].filter((secret) => serviceLogs.includes(secret))).toEqual([]);
    expect(serviceLogs).toContain('"external_call":true');
  });
});
