import {
  decisionFromMs,
  toThrottlerRecord,
  type ThrottlerStorageRecord,
} from './rate-limit-decision';
import type {
  RateLimitClock,
  RateLimitDecision,
  RateLimitStorage,
} from './rate-limit-storage.interface';

/** What admitting one request on one key would do; times in µs, as in the Lua scripts. */
interface Inspection<State> {
  remaining: number;
  resetUs: number;
  /** > 0 when the key refuses the request. */
  retryUs: number;
  next?: State;
  /** How long `next` must be kept. */
  ttlUs?: number;
}

interface Entry<State> {
  state: State;
  expiresAtUs: number;
}

const SWEEP_INTERVAL_US = 60_000_000;

/**
 * In-process twin of the Redis storages: the same algorithms, step for step, on a `Map`.
 * For a single instance (development, the embedded default) and for unit tests, where the
 * injectable clock controls time.
 */
export abstract class MemoryRateLimitStorage<State> implements RateLimitStorage {
  private readonly entries = new Map<string, Entry<State>>();
  private lastSweepUs = 0;

  constructor(private readonly clock: RateLimitClock = Date.now) {}

  /** Number of keys currently held, expired ones included until the next sweep. */
  get size(): number {
    return this.entries.size;
  }

  async consume(
    keys: readonly string[],
    limit: number,
    windowMs: number,
  ): Promise<RateLimitDecision> {
    const nowUs = this.clock() * 1000;
    this.sweep(nowUs);
    const inspections = keys.map((key) =>
      this.inspect(this.read(key, nowUs), nowUs, limit, windowMs * 1000),
    );

    const retryUs = Math.max(0, ...inspections.map((inspection) => inspection.retryUs));
    if (retryUs > 0) return decisionFromMs(false, limit, 0, retryUs / 1000, retryUs / 1000);

    keys.forEach((key, index) => this.commit(key, inspections[index], nowUs));
    const binding = inspections.reduce((tightest, inspection) =>
      inspection.remaining < tightest.remaining ||
      (inspection.remaining === tightest.remaining && inspection.resetUs > tightest.resetUs)
        ? inspection
        : tightest,
    );
    return decisionFromMs(true, limit, binding.remaining, binding.resetUs / 1000, 0);
  }

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    return toThrottlerRecord(await this.consume([key], limit, ttlMs));
  }

  protected abstract inspect(
    state: State | undefined,
    nowUs: number,
    limit: number,
    windowUs: number,
  ): Inspection<State>;

  private read(key: string, nowUs: number): State | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAtUs > nowUs ? entry.state : undefined;
  }

  private commit(key: string, inspection: Inspection<State>, nowUs: number): void {
    if (inspection.next === undefined || inspection.ttlUs === undefined) return;
    this.entries.set(key, { state: inspection.next, expiresAtUs: nowUs + inspection.ttlUs });
  }

  private sweep(nowUs: number): void {
    if (nowUs - this.lastSweepUs < SWEEP_INTERVAL_US) return;
    this.lastSweepUs = nowUs;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAtUs <= nowUs) this.entries.delete(key);
    }
  }
}

interface FixedWindowState {
  startUs: number;
  count: number;
}

/** Fixed window in process memory (same rules as the Redis fixed-window script). */
export class MemoryFixedWindowStorage extends MemoryRateLimitStorage<FixedWindowState> {
  protected inspect(
    state: FixedWindowState | undefined,
    nowUs: number,
    limit: number,
    windowUs: number,
  ): Inspection<FixedWindowState> {
    const current =
      !state || nowUs >= state.startUs + windowUs ? { startUs: nowUs, count: 0 } : state;
    const leftUs = current.startUs + windowUs - nowUs;
    if (current.count >= limit) return { remaining: 0, resetUs: leftUs, retryUs: leftUs };
    return {
      remaining: limit - current.count - 1,
      resetUs: leftUs,
      retryUs: 0,
      next: { startUs: current.startUs, count: current.count + 1 },
      ttlUs: leftUs,
    };
  }
}

/** Exact sliding window in process memory (same rules as the Redis sliding-window script). */
export class MemorySlidingWindowStorage extends MemoryRateLimitStorage<readonly number[]> {
  protected inspect(
    state: readonly number[] | undefined,
    nowUs: number,
    limit: number,
    windowUs: number,
  ): Inspection<readonly number[]> {
    const admissions = (state ?? []).filter((atUs) => atUs > nowUs - windowUs);
    if (admissions.length >= limit) {
      const waitUs = admissions[admissions.length - limit] + windowUs - nowUs;
      return { remaining: 0, resetUs: waitUs, retryUs: waitUs };
    }
    const oldestUs = admissions[0] ?? nowUs;
    return {
      remaining: limit - admissions.length - 1,
      resetUs: oldestUs + windowUs - nowUs,
      retryUs: 0,
      next: [...admissions, nowUs].sort((a, b) => a - b),
      ttlUs: windowUs,
    };
  }
}

/** Token bucket (GCRA) in process memory (same rules as the Redis token-bucket script). */
export class MemoryTokenBucketStorage extends MemoryRateLimitStorage<number> {
  protected inspect(
    savedTatUs: number | undefined,
    nowUs: number,
    limit: number,
    windowUs: number,
  ): Inspection<number> {
    const intervalUs = Math.max(1, Math.floor(windowUs / limit));
    const burstUs = intervalUs * limit;
    const tatUs = savedTatUs === undefined || savedTatUs < nowUs ? nowUs : savedTatUs;
    const nextTatUs = tatUs + intervalUs;
    if (nextTatUs - burstUs > nowUs) {
      const waitUs = nextTatUs - burstUs - nowUs;
      return { remaining: 0, resetUs: waitUs, retryUs: waitUs };
    }
    const freeUs = burstUs - (nextTatUs - nowUs);
    const left = Math.floor(freeUs / intervalUs);
    return {
      remaining: left,
      resetUs: (left + 1) * intervalUs - freeUs,
      retryUs: 0,
      next: nextTatUs,
      ttlUs: nextTatUs - nowUs,
    };
  }
}
