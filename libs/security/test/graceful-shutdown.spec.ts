import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

import { TEST_REDIS_URL, deleteKeys, freePort, testKeyPrefix } from '../../../test/support/redis';

const ROOT = resolve(__dirname, '../../..');
const DRAIN_MS = 5_000;

function startSlowService(
  port: number,
  keyPrefix: string,
  logLevel = 'warn',
): Promise<ChildProcess> {
  const child = fork(resolve(__dirname, 'support/slow-service.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', '@swc-node/register'],
    env: {
      ...process.env,
      SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.base.json'),
      SERVICE_NAME: 'slow-service',
      ENVIRONMENT: 'production',
      LOG_LEVEL: logLevel,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      SLOW_MS: '700',
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((ready, fail) => {
    child.once('message', () => ready(child));
    child.once('exit', (code) => fail(new Error(`service exited early with ${code}`)));
  });
}

describe('graceful shutdown', () => {
  const prefix = testKeyPrefix('shutdown');

  afterAll(() => deleteKeys(prefix));

  it('should finish every in-flight request on SIGTERM, refuse new ones and exit 0', async () => {
    const port = await freePort();
    const service = await startSlowService(port, prefix);
    const exited = new Promise<number | null>((done) => service.once('exit', done));

    const inFlight = Array.from({ length: 20 }, () =>
      fetch(`http://127.0.0.1:${port}/api/slow`).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { done?: boolean },
      })),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    service.kill('SIGTERM');

    const answers = await Promise.all(inFlight);
    expect(answers.every(({ status, body }) => status === 200 && body.done === true)).toBe(true);
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/api/slow`)).rejects.toThrow();
  }, 30_000);

  // A terminal's Ctrl-C reaches every process of the group, and a supervisor then sends
  // SIGTERM as well: the second signal must not start a second shutdown.
  it('should shut down once when SIGINT and then SIGTERM arrive during the drain', async () => {
    const port = await freePort();
    const service = await startSlowService(port, prefix, 'info');
    let log = '';
    service.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((done) => service.once('exit', done));

    const inFlight = Array.from({ length: 5 }, () =>
      fetch(`http://127.0.0.1:${port}/api/slow`).then((response) => response.status),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    service.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    service.kill('SIGTERM');

    expect(await Promise.all(inFlight)).toEqual([200, 200, 200, 200, 200]);
    expect(await exited).toBe(0);
    expect(log.match(/draining in-flight requests/g)).toHaveLength(1);
    expect(log).not.toMatch(/"level":"error"/);
  }, 30_000);
});
