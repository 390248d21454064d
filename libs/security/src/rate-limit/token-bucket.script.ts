import { SCRIPT_DECIDE, SCRIPT_PRELUDE } from './rate-limit-script.constants';

/**
 * Token bucket as GCRA: a bucket of `limit` tokens refilled completely in `window`. State
 * per key: the theoretical arrival time (TAT, µs) of the next request on an empty bucket,
 * expiring when the bucket is full again.
 *
 * Integer microseconds keep the arithmetic exact in Lua's doubles: the emission interval
 * is rounded down to a whole µs, so the bucket refills at most `limit` µs early.
 */
const TOKEN_BUCKET_BODY = `
local interval = math.max(1, math.floor(window / limit))
local burst = interval * limit

local function inspect(key)
  local tat = tonumber(redis.call('GET', key))
  if tat == nil or tat < now then
    tat = now
  end
  local nextTat = tat + interval
  if nextTat - burst > now then
    local wait = nextTat - burst - now
    return {remaining = 0, reset = wait, retry = wait}
  end
  local free = burst - (nextTat - now)
  local left = math.floor(free / interval)
  return {tat = nextTat, remaining = left, reset = (left + 1) * interval - free, retry = 0}
end

local function commit(key, state)
  redis.call('SET', key, int(state.tat), 'PX', int(math.ceil((state.tat - now) / 1000)))
end
`;

/** Lua of one token-bucket decision (see `SCRIPT_PRELUDE` for its contract). */
export const TOKEN_BUCKET_SCRIPT = [SCRIPT_PRELUDE, TOKEN_BUCKET_BODY, SCRIPT_DECIDE].join('\n');
