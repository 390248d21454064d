import { rateLimitScript } from './rate-limit-script.template';

/**
 * Token bucket as GCRA: a bucket of `limit` tokens refilled completely in `window`. State
 * per key: the theoretical arrival time (TAT, µs) of the next request on an empty bucket,
 * expiring when the bucket is full again.
 *
 * Integer microseconds keep the arithmetic exact in Lua's doubles: the emission interval
 * is rounded down to a whole µs, so the bucket refills at most `limit` µs early.
 */
export const TOKEN_BUCKET_SCRIPT = rateLimitScript({
  setup: `
local interval = math.max(1, math.floor(window / limit))
local burst = interval * limit`,
  inspect: `
  local tat = tonumber(redis.call('GET', key))
  if tat == nil or tat < now then tat = now end
  local nextTat = tat + interval
  if nextTat - burst > now then
    keyRetry = nextTat - burst - now
    keyReset = keyRetry
  else
    local free = burst - (nextTat - now)
    keyRemaining = math.floor(free / interval)
    keyReset = (keyRemaining + 1) * interval - free
    pending[i] = nextTat
  end`,
  commit: `
  redis.call('SET', key, format('%d', state), 'PX', format('%d', math.ceil((state - now) / 1000)))`,
});
