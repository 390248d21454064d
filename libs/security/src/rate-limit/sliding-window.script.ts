import { rateLimitScript } from './rate-limit-script.template';

/**
 * Exact sliding window: a request is admitted only if fewer than `limit` requests were
 * admitted in the last `window`. State per key: one string holding the admission times (µs),
 * oldest first, each packed as an 8-byte double (exact for times in µs). It expires one window
 * after the newest admission, when every entry has left the window.
 *
 * A string rather than a sorted set keeps a key under half the memory and lets the common
 * decision read only what it needs: the length (the count) and the oldest entry. While that
 * entry is inside the window nothing has expired, and an admission appends one entry; once it
 * has left, the log is read whole, a binary search finds the first entry still inside, and the
 * admission writes the log back without the expired ones. A key of another type (from an
 * earlier layout) reads as empty and is replaced by the next admission.
 */
export const SLIDING_WINDOW_SCRIPT = rateLimitScript({
  setup: `
local unpack, since = struct.unpack, now - window`,
  inspect: `
  local length = redis.pcall('STRLEN', key)
  local count, kept = 0, nil
  if type(length) ~= 'number' then
    kept = ''
  elseif length > 0 then
    count = length / 8
    local oldest = unpack('d', redis.call('GETRANGE', key, 0, 7))
    if oldest <= since then
      local log = redis.call('GET', key)
      local low, high = 1, count + 1
      while low < high do
        local middle = low + high
        middle = (middle - middle % 2) / 2
        if unpack('d', log, middle * 8 - 7) > since then high = middle else low = middle + 1 end
      end
      kept = string.sub(log, low * 8 - 7)
      count = #kept / 8
      if count > 0 then oldest = unpack('d', kept) end
    end
    keyReset = oldest + window - now
  end
  if count >= limit then
    local at = (count - limit) * 8
    local blocking
    if kept then
      blocking = unpack('d', kept, at + 1)
    else
      blocking = unpack('d', redis.call('GETRANGE', key, at, at + 7))
    end
    keyRetry = blocking + window - now
    keyReset = keyRetry
  else
    keyRemaining = limit - count - 1
    if count == 0 then keyReset = window end
    pending[i] = kept or false
  end`,
  commit: `
  if state then
    redis.call('SET', key, state .. struct.pack('d', now), 'PX', ARGV[2])
  else
    redis.call('APPEND', key, struct.pack('d', now))
    redis.call('PEXPIRE', key, ARGV[2])
  end`,
});
