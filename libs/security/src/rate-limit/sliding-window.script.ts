import { rateLimitScript } from './rate-limit-script.template';

/**
 * Exact sliding window: a request is admitted only if fewer than `limit` requests were
 * admitted in the last `window`. State per key: a list of the admission times (µs), oldest
 * first, each packed as an 8-byte double (exact for times in µs), expiring one window after
 * the newest admission, when every entry has left the window.
 *
 * A list rather than a sorted set keeps a key under half the memory and makes each step
 * constant time: the length is the count, an admission appends, and expired entries are only
 * ever at the head, so they are dropped in chunks up to the first one still inside the window
 * (each entry is read once in its life, however large the limit). Dropping expired entries
 * changes no decision, so a refusal may do it too. A key of another type (from an earlier
 * layout) reads as empty and is replaced by the next admission.
 */
export const SLIDING_WINDOW_SCRIPT = rateLimitScript({
  setup: `
local unpack, since = struct.unpack, now - window`,
  inspect: `
  local count = redis.pcall('LLEN', key)
  local replace = false
  if type(count) ~= 'number' then
    count, replace = 0, true
  elseif count > 0 then
    local oldest = unpack('d', redis.call('LINDEX', key, 0))
    if oldest <= since then
      local expired = 0
      while expired < count and oldest <= since do
        local chunk = redis.call('LRANGE', key, expired, expired + 31)
        for j = 1, #chunk do
          oldest = unpack('d', chunk[j])
          if oldest > since then break end
          expired = expired + 1
        end
      end
      redis.call('LTRIM', key, expired, -1)
      count = count - expired
    end
    keyReset = oldest + window - now
  end
  if count >= limit then
    keyRetry = unpack('d', redis.call('LINDEX', key, count - limit)) + window - now
    keyReset = keyRetry
  else
    keyRemaining = limit - count - 1
    if count == 0 then keyReset = window end
    pending[i] = replace
  end`,
  commit: `
  if state then redis.call('DEL', key) end
  redis.call('RPUSH', key, struct.pack('d', now))
  redis.call('PEXPIRE', key, ARGV[2])`,
});
