import { deleteKeys, TEST_REDIS_URL, testKeyPrefix } from '../../../test/support/redis';
import type { RateLimitStorages } from '../src/rate-limit/rate-limit-storage.interface';
import { ConcurrencyHarness } from './rate-limit-concurrency';

const ALGORITHMS: (keyof RateLimitStorages)[] = ['fixed-window', 'sliding-window', 'token-bucket'];
const REPETITIONS = [1, 2, 3, 4, 5];

describe('Redis rate-limit storages under concurrency', () => {
  const prefix = testKeyPrefix('rate-limit-concurrency');
  let harness: ConcurrencyHarness;

  beforeAll(async () => {
    harness = await ConcurrencyHarness.start(4, { url: TEST_REDIS_URL, keyPrefix: prefix });
  }, 30_000);

  afterAll(async () => {
    await harness.stop();
    await deleteKeys(prefix);
  });

  describe.each(ALGORITHMS)('%s', (algorithm) => {
    it.each(REPETITIONS)(
      'should admit exactly 100 of 4 workers × 50 concurrent callers (round %i)',
      async (repetition) => {
        const admitted = await harness.round(
          algorithm,
          `{hot:${algorithm}:${repetition}}`,
          100,
          50,
        );

        expect(admitted).toBe(100);
      },
    );
  });
});
