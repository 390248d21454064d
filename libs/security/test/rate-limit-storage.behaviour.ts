import type {
  RateLimitClock,
  RateLimitStorages,
} from '../src/rate-limit/rate-limit-storage.interface';

/** One step of a reference sequence: at `atMs` (from the start), the expected answer. */
type Step =
  | { atMs: number; admitted: true; remaining: number; resetSeconds: number }
  | { atMs: number; admitted: false; retryAfterSeconds: number };

const admit = (atMs: number, remaining: number, resetSeconds: number): Step => ({
  atMs,
  admitted: true,
  remaining,
  resetSeconds,
});
const refuse = (atMs: number, retryAfterSeconds: number): Step => ({
  atMs,
  admitted: false,
  retryAfterSeconds,
});

/**
 * Reference sequences: what each algorithm must answer, step by step, for limit 3.
 *
 * Redis expires keys on its own clock while the test clock stands still between steps,
 * so no step relies on a key that has only milliseconds left to live.
 */
const REFERENCE_SEQUENCES: [keyof RateLimitStorages, number, Step[]][] = [
  [
    'fixed-window',
    10_000,
    [
      admit(0, 2, 10),
      admit(1_000, 1, 9),
      admit(2_000, 0, 8),
      refuse(3_000, 7),
      refuse(9_999, 1),
      admit(10_000, 2, 10),
      admit(10_001, 1, 10),
      admit(19_000, 0, 1),
      refuse(19_000, 1),
      refuse(19_999, 1),
      admit(20_000, 2, 10),
    ],
  ],
  [
    'sliding-window',
    10_000,
    [
      admit(0, 2, 10),
      admit(4_000, 1, 6),
      admit(8_000, 0, 2),
      refuse(9_000, 1),
      refuse(9_999, 1),
      admit(10_000, 0, 4),
      refuse(10_001, 4),
      refuse(13_999, 1),
      admit(14_000, 0, 4),
      admit(18_000, 0, 2),
      refuse(18_000, 2),
      admit(20_000, 0, 4),
    ],
  ],
  [
    'token-bucket',
    9_000,
    [
      admit(0, 2, 3),
      admit(0, 1, 3),
      admit(0, 0, 3),
      refuse(0, 3),
      refuse(2_999, 1),
      admit(3_000, 0, 3),
      refuse(4_500, 2),
      admit(9_000, 1, 3),
      admit(30_000, 2, 3),
      admit(31_500, 1, 2),
      admit(31_500, 0, 2),
      refuse(31_500, 2),
      admit(33_000, 0, 3),
    ],
  ],
];

const ALGORITHMS: (keyof RateLimitStorages)[] = ['fixed-window', 'sliding-window', 'token-bucket'];

/** A controllable clock, starting at the current time so Redis expiries stay meaningful. */
export class TestClock {
  private nowMs = Date.now();
  private readonly startMs = this.nowMs;

  readonly read: RateLimitClock = () => this.nowMs;

  at(offsetMs: number): void {
    this.nowMs = this.startMs + offsetMs;
  }
}

/** Builds the three storages of one kind over a test clock; `keyPrefix` isolates a test. */
export type StoragesFactory = (clock: RateLimitClock) => RateLimitStorages;

/**
 * The behaviour every implementation of the three algorithms must show, run against the
 * in-process storages and the Redis ones alike.
 */
export function describeRateLimitStorages(kind: string, factory: StoragesFactory): void {
  describe(`${kind} rate-limit storages`, () => {
    let clock: TestClock;
    let storages: RateLimitStorages;
    let keySeed = 0;
    const freshKey = (label: string) => `{${label}:${process.pid}:${Date.now()}:${(keySeed += 1)}}`;

    beforeEach(() => {
      clock = new TestClock();
      storages = factory(clock.read);
    });

    describe('consume', () => {
      it.each(REFERENCE_SEQUENCES)(
        'should answer the %s reference sequence step by step',
        async (algorithm, windowMs, steps) => {
          const key = freshKey(algorithm);
          const answers = [];

          for (const step of steps) {
            clock.at(step.atMs);
            const decision = await storages[algorithm].consume([key], 3, windowMs);
            answers.push(
              decision.admitted
                ? admit(step.atMs, decision.remaining, decision.resetSeconds)
                : refuse(step.atMs, decision.retryAfterSeconds),
            );
          }

          expect(answers).toEqual(steps);
        },
      );

      it.each(ALGORITHMS)('should keep one key from using up another (%s)', async (algorithm) => {
        const userA = freshKey('user-a');
        const userB = freshKey('user-b');
        for (let i = 0; i < 3; i += 1) await storages[algorithm].consume([userA], 3, 60_000);

        const refusedA = await storages[algorithm].consume([userA], 3, 60_000);
        const firstB = await storages[algorithm].consume([userB], 3, 60_000);

        expect(refusedA.admitted).toBe(false);
        expect(firstB).toMatchObject({ admitted: true, remaining: 2 });
      });

      it.each(ALGORITHMS)(
        'should admit against every key or against none (%s)',
        async (algorithm) => {
          const tag = freshKey('multi');
          const [client, destination] = [`${tag}:client`, `${tag}:destination`];
          const storage = storages[algorithm];
          await storage.consume([destination], 2, 60_000);
          await storage.consume([destination], 2, 60_000);

          const refused = await storage.consume([client, destination], 2, 60_000);
          const clientAfter = await storage.consume([client], 2, 60_000);

          expect(refused).toMatchObject({ admitted: false, remaining: 0 });
          expect(clientAfter).toMatchObject({ admitted: true, remaining: 1 });
        },
      );

      it.each(ALGORITHMS)(
        'should count against both keys when admitted (%s)',
        async (algorithm) => {
          const tag = freshKey('both');
          const [client, destination] = [`${tag}:client`, `${tag}:destination`];
          const storage = storages[algorithm];
          await storage.consume([client], 3, 60_000);

          const both = await storage.consume([client, destination], 3, 60_000);
          const destinationAfter = await storage.consume([destination], 3, 60_000);

          expect(both).toMatchObject({ admitted: true, remaining: 1 });
          expect(destinationAfter).toMatchObject({ admitted: true, remaining: 1 });
        },
      );

      it.each(ALGORITHMS)('should never count a refused request (%s)', async (algorithm) => {
        const key = freshKey('refused');
        const storage = storages[algorithm];
        await storage.consume([key], 1, 10_000);
        for (let i = 0; i < 20; i += 1) await storage.consume([key], 1, 10_000);

        clock.at(10_000);
        const afterWindow = await storage.consume([key], 1, 10_000);

        expect(afterWindow.admitted).toBe(true);
      });
    });

    describe('sliding window against a model', () => {
      // The larger limit lets more than one chunk of the log expire at once.
      it.each([
        [20, 10_000],
        [40, 4_000],
      ])(
        'should admit exactly when fewer than %i were admitted in %i ms',
        async (limit, windowMs) => {
          const key = freshKey('model');
          const admittedAt: number[] = [];
          let atMs = 0;
          let seed = 7;

          for (let step = 0; step < 300; step += 1) {
            // A fixed pseudo-random walk: bursts and pauses, so the log fills, trims and refills.
            seed = (seed * 48_271) % 2_147_483_647;
            atMs += seed % 5 === 0 ? seed % 6_000 : seed % 150;
            clock.at(atMs);
            const inWindow = admittedAt.filter((time) => time > atMs - windowMs).length;

            const decision = await storages['sliding-window'].consume([key], limit, windowMs);

            expect({ step, admitted: decision.admitted }).toEqual({
              step,
              admitted: inWindow < limit,
            });
            if (decision.admitted) {
              expect(decision.remaining).toBe(limit - inWindow - 1);
              admittedAt.push(atMs);
            }
          }
          expect(admittedAt.length).toBeGreaterThan(limit * 3);
        },
      );
    });

    describe('sliding window with many expired admissions', () => {
      it('should forget every admission that left the window at once', async () => {
        const key = freshKey('mass-expiry');
        const storage = storages['sliding-window'];
        for (let atMs = 0; atMs < 150; atMs += 1) {
          clock.at(atMs);
          await storage.consume([key], 200, 10_000);
        }

        clock.at(10_100);
        const decision = await storage.consume([key], 200, 10_000);

        expect(decision).toMatchObject({ admitted: true, remaining: 200 - 49 - 1 });
      });
    });

    describe('consume after a lowered limit', () => {
      it('should wait until enough admissions left the sliding window', async () => {
        const key = freshKey('lowered');
        const storage = storages['sliding-window'];
        for (const atMs of [0, 1_000, 2_000]) {
          clock.at(atMs);
          await storage.consume([key], 3, 10_000);
        }

        clock.at(3_000);
        const refused = await storage.consume([key], 2, 10_000);
        clock.at(11_000);
        const admitted = await storage.consume([key], 2, 10_000);

        expect(refused).toMatchObject({ admitted: false, retryAfterSeconds: 8 });
        expect(admitted).toMatchObject({ admitted: true, remaining: 0 });
      });
    });

    describe('increment', () => {
      it('should answer as a @nestjs/throttler storage', async () => {
        const key = freshKey('throttler');
        const storage = storages['sliding-window'];

        const first = await storage.increment(key, 60_000, 1, 60_000, 'default');
        const second = await storage.increment(key, 60_000, 1, 60_000, 'default');

        expect(first).toEqual({
          totalHits: 1,
          timeToExpire: 60,
          isBlocked: false,
          timeToBlockExpire: 0,
        });
        expect(second).toEqual({
          totalHits: 2,
          timeToExpire: 60,
          isBlocked: true,
          timeToBlockExpire: 60,
        });
      });
    });
  });
}
