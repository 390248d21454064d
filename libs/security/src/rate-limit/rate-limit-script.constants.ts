/**
 * Lua shared by the three rate-limit scripts.
 *
 * Contract of every script: KEYS are the counters of one decision (all in one hash slot);
 * ARGV is `limit`, `window in ms`, and a fixed time in ms for deterministic tests (empty in
 * production, where the Redis server's TIME is the only clock, so instances with skewed
 * clocks agree). The reply is `{admitted 1|0, remaining, reset ms, retry-after ms}`.
 *
 * Each algorithm defines `inspect(key)`, which reads one key and says what admitting the
 * request would leave (`remaining`, `reset`) or how long until it could be admitted
 * (`retry` > 0), and `commit(key, state)`, which records the admission. A request is
 * admitted only if every key admits it, and only then is any key written: a refusal never
 * uses up quota, on any of the keys.
 *
 * Numbers reach Redis through `int()`: Lua's own conversion keeps 14 digits, fewer than a
 * time in µs has.
 */
export const SCRIPT_PRELUDE = `
local function int(number)
  return string.format('%d', number)
end

local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) * 1000
local now
if ARGV[3] ~= nil and ARGV[3] ~= '' then
  now = tonumber(ARGV[3]) * 1000
else
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
local nowText = int(now)
`;

/** Combines the per-key inspections into one decision and commits it (times in µs). */
export const SCRIPT_DECIDE = `
local states = {}
local remaining, reset, retry = limit, 0, 0
for i = 1, #KEYS do
  local state = inspect(KEYS[i])
  states[i] = state
  if state.retry > retry then retry = state.retry end
  if state.remaining < remaining or (state.remaining == remaining and state.reset > reset) then
    remaining, reset = state.remaining, state.reset
  end
end
if retry > 0 then
  local retryMs = math.ceil(retry / 1000)
  return {0, 0, retryMs, retryMs}
end
for i = 1, #KEYS do
  commit(KEYS[i], states[i])
end
return {1, remaining, math.ceil(reset / 1000), 0}
`;
