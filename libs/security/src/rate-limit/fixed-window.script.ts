import { SCRIPT_DECIDE, SCRIPT_PRELUDE } from './rate-limit-script.constants';

/**
 * Fixed window: a window opens with the first admitted request and admits `limit`
 * requests until it closes `window` later. State per key: a hash of the window start and
 * the count (µs), expiring when the window closes.
 */
const FIXED_WINDOW_BODY = `
local function inspect(key)
  local saved = redis.call('HMGET', key, 'start', 'count')
  local start, count = tonumber(saved[1]), tonumber(saved[2])
  if start == nil or now >= start + window then
    start, count = now, 0
  end
  local left = start + window - now
  if count >= limit then
    return {remaining = 0, reset = left, retry = left}
  end
  return {start = start, count = count + 1, remaining = limit - count - 1, reset = left, retry = 0}
end

local function commit(key, state)
  redis.call('HSET', key, 'start', int(state.start), 'count', int(state.count))
  redis.call('PEXPIRE', key, int(math.ceil(state.reset / 1000)))
end
`;

/** Lua of one fixed-window decision (see `SCRIPT_PRELUDE` for its contract). */
export const FIXED_WINDOW_SCRIPT = [SCRIPT_PRELUDE, FIXED_WINDOW_BODY, SCRIPT_DECIDE].join('\n');
