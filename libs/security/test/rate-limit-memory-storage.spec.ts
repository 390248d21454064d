import {
  MemoryFixedWindowStorage,
  MemorySlidingWindowStorage,
  MemoryTokenBucketStorage,
} from '../src/rate-limit/memory-rate-limit.storage';
import { describeRateLimitStorages, TestClock } from './rate-limit-storage.behaviour';

describeRateLimitStorages('in-process', (clock) => ({
  'fixed-window': new MemoryFixedWindowStorage(clock),
  'sliding-window': new MemorySlidingWindowStorage(clock),
  'token-bucket': new MemoryTokenBucketStorage(clock),
}));

describe(MemorySlidingWindowStorage.name, () => {
  describe('consume', () => {
    it('should forget keys whose window has passed', async () => {
      const clock = new TestClock();
      const storage = new MemorySlidingWindowStorage(clock.read);
      for (let i = 0; i < 100; i += 1) await storage.consume([`ip:${i}`], 5, 1_000);

      clock.at(120_000);
      await storage.consume(['ip:late'], 5, 1_000);

      expect(storage.size).toBe(1);
    });
  });
});
