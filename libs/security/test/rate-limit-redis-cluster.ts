import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import Redis from 'ioredis';

import { freePort } from '../../../test/support/redis';

const run = promisify(execFile);

/**
 * A real Redis Cluster of three masters on free ports, owned by one test file: started with
 * `redis-server --cluster-enabled yes`, joined with `redis-cli --cluster create`.
 */
export class OwnedRedisCluster {
  private constructor(
    readonly nodes: { host: string; port: number }[],
    private readonly processes: ChildProcess[],
    private readonly dir: string,
  ) {}

  static async start(size = 3): Promise<OwnedRedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'msb-redis-cluster-'));
    const ports: number[] = [];
    while (ports.length < size) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    const processes = ports.map((port) => startNode(port, dir));
    const cluster = new OwnedRedisCluster(
      ports.map((port) => ({ host: '127.0.0.1', port })),
      processes,
      dir,
    );
    try {
      await Promise.all(
        ports.map((port) => waitFor(port, async (redis) => (await redis.ping()) === 'PONG')),
      );
      const addresses = ports.map((port) => `127.0.0.1:${port}`);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await Promise.all(
        ports.map((port) =>
          waitFor(port, async (redis) =>
            String(await redis.cluster('INFO')).includes('cluster_state:ok'),
          ),
        ),
      );
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function startNode(port: number, dir: string): ChildProcess {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(dir, `nodes-${port}.conf`),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  return spawn('redis-server', args, { stdio: 'ignore' });
}

async function waitFor(port: number, check: (redis: Redis) => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const redis = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await redis.connect();
      if (await check(redis)) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      redis.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`Redis node on port ${port} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
