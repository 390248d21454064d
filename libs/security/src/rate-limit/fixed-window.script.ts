import { rateLimitScript } from './rate-limit-script.template';

/**
 * Fixed window: a window opens with the first admitted request and admits `limit`
 * requests until it closes `window` later. State per key: the window start (µs) and the
 * count packed as two 8-byte doubles in one string, expiring when the window closes, so a
 * decision is one `GET` and one `SET ... PX`. A key of another type (from an earlier layout)
 * reads as no window.
 */
export const FIXED_WINDOW_SCRIPT = rateLimitScript({
  inspect: `
  local saved = redis.pcall('GET', key)
  local start, count = now, 0
  if type(saved) == 'string' and #saved == 16 then
    start, count = struct.unpack('dd', saved)
    if now >= start + window then start, count = now, 0 end
  end
  local left = start + window - now
  if count >= limit then
    keyReset, keyRetry = left, left
  else
    keyRemaining, keyReset = limit - count - 1, left
    pending[i] = {start, count + 1, left}
  end`,
  commit: `
  redis.call('SET', key, struct.pack('dd', state[1], state[2]), 'PX',
    format('%d', math.ceil(state[3] / 1000)))`,
});
