import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { RateLimitStorages } from '../src/rate-limit/rate-limit-storage.interface';

/** How the workers reach Redis. */
export type WorkerConnection =
  | { url: string; keyPrefix: string }
  | { clusterNodes: { host: string; port: number }[]; keyPrefix: string };

interface RoundReply {
  round: number;
  admitted: number;
}

/** Worker processes, each with its own connection, hitting one key at the same moment. */
export class ConcurrencyHarness {
  private rounds = 0;

  private constructor(private readonly workers: ChildProcess[]) {}

  static async start(
    workerCount: number,
    connection: WorkerConnection,
  ): Promise<ConcurrencyHarness> {
    const workers = Array.from({ length: workerCount }, () =>
      fork(join(__dirname, 'rate-limit-concurrency.worker.mjs'), [JSON.stringify(connection)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    await Promise.all(workers.map((worker) => nextMessage(worker)));
    return new ConcurrencyHarness(workers);
  }

  /** Runs one round and answers how many requests were admitted in total. */
  async round(
    algorithm: keyof RateLimitStorages,
    key: string,
    limit: number,
    callersPerWorker: number,
  ): Promise<number> {
    const round = (this.rounds += 1);
    const replies = this.workers.map((worker) => nextMessage<RoundReply>(worker));
    const message = {
      round,
      algorithm,
      key,
      limit,
      windowMs: 3_600_000,
      callers: callersPerWorker,
    };
    for (const worker of this.workers) worker.send(message);
    const answers = await Promise.all(replies);
    return answers.reduce((total, reply) => total + reply.admitted, 0);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.send({ type: 'stop' });
          }),
      ),
    );
  }
}

function nextMessage<T>(worker: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      worker.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      worker.off('message', onMessage);
      reject(new Error(`rate-limit worker exited with code ${code}`));
    };
    worker.once('message', onMessage);
    worker.once('exit', onExit);
  });
}
