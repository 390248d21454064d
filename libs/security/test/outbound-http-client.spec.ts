import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Writable } from 'node:stream';

import { Test, type TestingModule } from '@nestjs/testing';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { register } from 'prom-client';

import { DependencyUnavailableException } from '../src/errors/dependency-unavailable.exception';
import { OutboundHttpClient } from '../src/http/outbound-http-client.service';
import { METRIC_PROVIDERS } from '../src/metrics/metric-providers';
import { SecurityMetrics } from '../src/metrics/security-metrics.service';
import { RequestContext, type RequestContextStore } from '../src/request-context/request-context';
import { freePort } from '../../../test/support/redis';

interface SeenRequest {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server whose answers each test decides. */
class UpstreamServer {
  readonly seen: SeenRequest[] = [];
  /** Set to answer the headers and then never finish the body. */
  stallBody = false;
  answer: (request: SeenRequest, respond: (status: number, body?: unknown) => void) => void = (
    _request,
    respond,
  ) => respond(200, { ok: true });

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<UpstreamServer> {
    const port = await freePort();
    const upstream: UpstreamServer = new UpstreamServer(
      createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          const seen = { method: request.method, url: request.url, headers: request.headers, body };
          upstream.seen.push(seen);
          if (upstream.stallBody) {
            response.writeHead(200, { 'content-type': 'application/json' });
            response.write('{"partial":');
            return;
          }
          upstream.answer(seen, (status, payload) => {
            if (response.destroyed) return;
            const type = status >= 400 ? 'application/problem+json' : 'application/json';
            response.writeHead(status, { 'content-type': type });
            response.end(payload === undefined ? undefined : JSON.stringify(payload));
          });
        });
      }),
      `http://127.0.0.1:${port}`,
    );
    await new Promise<void>((resolve) => upstream.server.listen(port, '127.0.0.1', resolve));
    return upstream;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe(OutboundHttpClient.name, () => {
  const logLines: Record<string, unknown>[] = [];
  let module: TestingModule;
  let client: OutboundHttpClient;
  let upstream: UpstreamServer;

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          logLines.push(JSON.parse(line));
        }
        done();
      },
    });
    module = await Test.createTestingModule({
      imports: [
        LoggerModule.forRoot({ pinoHttp: [{ level: 'info' }, stream] }),
        PrometheusModule.register({ defaultMetrics: { enabled: false } }),
      ],
      providers: [...METRIC_PROVIDERS, SecurityMetrics, OutboundHttpClient],
    }).compile();
    client = await module.resolve(OutboundHttpClient);
    upstream = await UpstreamServer.start();
  });

  afterAll(async () => {
    await upstream.close();
    await module.close();
    register.clear();
  });

  beforeEach(() => {
    logLines.length = 0;
    upstream.seen.length = 0;
    upstream.answer = (_request, respond) => respond(200, { ok: true });
    upstream.stallBody = false;
  });

  const inRequest = <T>(
    store: Partial<RequestContextStore> & { authorization?: string },
    work: () => T,
  ) =>
    RequestContext.run(
      { correlationId: 'req-1', clientIp: '203.0.113.9', ...store } as RequestContextStore,
      work,
    );

  describe('request', () => {
    it("should forward the current request's Authorization and X-Request-Id", async () => {
      await inRequest({ correlationId: 'corr-42', authorization: 'Bearer abc.def.ghi' }, () =>
        client.request(`${upstream.url}/api/msme/1`),
      );

      expect(upstream.seen[0].headers['authorization']).toBe('Bearer abc.def.ghi');
      expect(upstream.seen[0].headers['x-request-id']).toBe('corr-42');
    });

    it('should prefer explicit Authorization and correlation id over the request context', async () => {
      await inRequest({ correlationId: 'corr-1', authorization: 'Bearer from-context' }, () =>
        client.request(`${upstream.url}/x`, {
          authorization: 'Bearer explicit',
          correlationId: 'c-2',
        }),
      );

      expect(upstream.seen[0].headers['authorization']).toBe('Bearer explicit');
      expect(upstream.seen[0].headers['x-request-id']).toBe('c-2');
    });

    it('should send a JSON body with its method', async () => {
      await client.request(`${upstream.url}/things`, { method: 'POST', body: { a: 1 } });

      expect(upstream.seen[0]).toMatchObject({
        method: 'POST',
        body: '{"a":1}',
        headers: { 'content-type': 'application/json' },
      });
    });

    it.each([200, 403, 404, 500])(
      'should return status %p with the parsed body',
      async (status) => {
        upstream.answer = (_request, respond) => respond(status, { status });

        const answer = await client.request<{ status: number }>(`${upstream.url}/x`);

        expect(answer.status).toBe(status);
        expect(answer.ok).toBe(status === 200);
        expect(answer.body).toEqual({ status });
      },
    );

    it('should throw DependencyUnavailableException when the answer is slower than the timeout', async () => {
      upstream.answer = (_request, respond) => setTimeout(() => respond(200, {}), 1_000);

      const call = client.request(`${upstream.url}/slow`, {
        target: 'slow-service',
        timeoutMs: 100,
      });

      await expect(call).rejects.toBeInstanceOf(DependencyUnavailableException);
      await expect(call).rejects.toMatchObject({ dependency: 'slow-service' });
    });

    it('should throw DependencyUnavailableException when the body stalls after the headers', async () => {
      upstream.stallBody = true;

      const call = client.request(`${upstream.url}/stalled`, { target: 'stalled', timeoutMs: 150 });

      await expect(call).rejects.toMatchObject({ status: 503, dependency: 'stalled' });
    });

    it('should throw DependencyUnavailableException when nothing listens', async () => {
      const closedPort = await freePort();

      const call = client.request(`http://127.0.0.1:${closedPort}/x`, { target: 'gone' });

      await expect(call).rejects.toMatchObject({ status: 503, dependency: 'gone' });
    });

    it('should log the call as an external call without its query or headers', async () => {
      await inRequest({ correlationId: 'corr-log', authorization: 'Bearer secret-token' }, () =>
        client.request(`${upstream.url}/api/msme/7?api_key=secret-query`, {
          target: 'msme-service',
        }),
      );

      const line = logLines.find((entry) => entry.external_call === true);
      expect(line).toMatchObject({
        correlation_id: 'corr-log',
        target: 'msme-service',
        method: 'GET',
        path: '/api/msme/7',
        status: 200,
        msg: 'external call',
      });
      expect(typeof line?.duration_ms).toBe('number');
      expect(JSON.stringify(logLines)).not.toMatch(/secret-token|secret-query/);
    });

    it('should log a failed call with status "error"', async () => {
      const closedPort = await freePort();

      await client
        .request(`http://127.0.0.1:${closedPort}/x`, { target: 'gone' })
        .catch(() => null);

      expect(logLines.find((entry) => entry.external_call === true)).toMatchObject({
        target: 'gone',
        status: 'error',
        level: 40,
      });
    });

    it('should measure the call in outbound_request_duration_seconds', async () => {
      await client.request(`${upstream.url}/x`, { target: 'measured' });

      const text = await register.getSingleMetricAsString('outbound_request_duration_seconds');
      const count = text
        .split('\n')
        .find(
          (line) =>
            line.startsWith('outbound_request_duration_seconds_count{') &&
            line.includes('target="measured"') &&
            line.includes('status_code="200"'),
        );
      expect(count?.split(' ').pop()).toBe('1');
    });
  });
});
