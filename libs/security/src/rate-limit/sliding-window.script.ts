import { SCRIPT_DECIDE, SCRIPT_PRELUDE } from './rate-limit-script.constants';

/**
 * Exact sliding window: a request is admitted only if fewer than `limit` requests were
 * admitted in the last `window`. State per key: a sorted set of the admission times (µs),
 * expiring one window after the newest admission, when every entry has left the window.
 *
 * Members are `<time>:<count before admission>`: two admissions at the same time see
 * different counts, so neither overwrites the other. The oldest entry is read first so
 * the common cases (nothing expired; a full window refusing) need no range scan.
 */
const SLIDING_WINDOW_BODY = `
local function inspect(key)
  local count, first = 0, now
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if oldest[2] then
    first = tonumber(oldest[2])
    if first <= now - window then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', int(now - window))
      oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      first = tonumber(oldest[2]) or now
    end
    count = redis.call('ZCARD', key)
  end
  if count >= limit then
    local blocking = first
    if count > limit then
      local entry = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
      blocking = tonumber(entry[2])
    end
    local wait = blocking + window - now
    return {remaining = 0, reset = wait, retry = wait}
  end
  return {count = count, remaining = limit - count - 1, reset = first + window - now, retry = 0}
end

local function commit(key, state)
  redis.call('ZADD', key, nowText, nowText .. ':' .. state.count)
  redis.call('PEXPIRE', key, ARGV[2])
end
`;

/** Lua of one sliding-window decision (see `SCRIPT_PRELUDE` for its contract). */
export const SLIDING_WINDOW_SCRIPT = [SCRIPT_PRELUDE, SLIDING_WINDOW_BODY, SCRIPT_DECIDE].join(
  '\n',
);
