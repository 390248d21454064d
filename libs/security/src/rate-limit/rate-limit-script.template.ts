/** The algorithm-specific Lua of a rate-limit script (see {@link rateLimitScript}). */
export interface RateLimitScriptParts {
  /** Runs once, after `limit`, `window` and `now` are known. */
  setup?: string;
  /**
   * Runs for each `key` (`KEYS[i]`). Reads its state and sets `keyRemaining` and `keyReset`
   * (what admitting the request would leave), or `keyRetry` > 0 (how long until it could be
   * admitted); when admitting, stores in `pending[i]` what `commit` needs.
   */
  inspect: string;
  /** Runs for each `key` once every key admitted the request; `state` is its `pending[i]`. */
  commit: string;
}

/**
 * Assembles one rate-limit script from the algorithm's parts.
 *
 * Contract of every script: KEYS are the counters of one decision (all in one hash slot);
 * ARGV is `limit`, `window in ms`, and a fixed time in ms for deterministic tests (empty in
 * production, where the Redis server's TIME is the only clock, so instances with skewed
 * clocks agree). Times inside are in µs. The reply is `{admitted 1|0, remaining, reset ms,
 * retry-after ms}`. A request is admitted only if every key admits it, and only then is the
 * admission recorded on any key: a refusal never uses up quota, on any of the keys.
 *
 * The parts are spliced inline rather than defined as Lua functions: a script runs on every
 * request, and creating closures and per-key tables on each run cost Redis a measurable share
 * of its time. Numbers reach Redis through `format('%d', ...)`: Lua's own conversion keeps 14
 * digits, fewer than a time in µs has.
 */
export function rateLimitScript(parts: RateLimitScriptParts): string {
  return `
local format = string.format
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) * 1000
local now
if ARGV[3] and ARGV[3] ~= '' then
  now = tonumber(ARGV[3]) * 1000
else
  local time = redis.call('TIME')
  now = time[1] * 1000000 + time[2]
end
${parts.setup ?? ''}
local remaining, reset, retry = limit, 0, 0
local pending = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local keyRemaining, keyReset, keyRetry = 0, 0, 0
${parts.inspect}
  if keyRetry > retry then retry = keyRetry end
  if keyRemaining < remaining or (keyRemaining == remaining and keyReset > reset) then
    remaining, reset = keyRemaining, keyReset
  end
end
if retry > 0 then
  local retryMs = math.ceil(retry / 1000)
  return {0, 0, retryMs, retryMs}
end
for i = 1, #KEYS do
  local key, state = KEYS[i], pending[i]
${parts.commit}
end
return {1, remaining, math.ceil(reset / 1000), 0}
`;
}
