/**
 * Lua scripts of the shared security state. Every key carries the `{sec}` hash tag so
 * all of them live in one Redis Cluster slot and a script may touch them together.
 *
 * KEYS: 1 revoked jti (zset, score = expiry ms), 2 revoked sid (zset), 3 user valid-after
 * (hash, seconds), 4 locked users (set), 5 IP blocks (hash id → JSON), 6 version counter.
 */
export const STATE_KEY_SUFFIXES = [
  '{sec}:revoked-jti',
  '{sec}:revoked-sid',
  '{sec}:user-valid-after',
  '{sec}:locked-users',
  '{sec}:ip-blocks',
  '{sec}:version',
] as const;

/** Channel suffix of state changes (channels are not prefixed by ioredis). */
export const STATE_CHANNEL_SUFFIX = '{sec}:events';

/**
 * Applies one change, bumps the version and publishes `{v, op, args}` — atomically, so a
 * subscriber that sees version n+1 knows it missed nothing after n.
 *
 * ARGV: channel, op, then the op's arguments.
 */
export const WRITE_STATE_SCRIPT = `
local channel, op = ARGV[1], ARGV[2]
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if op == 'revoke-jti' then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
elseif op == 'revoke-sid' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now_ms)
elseif op == 'valid-after' then
  local current = tonumber(redis.call('HGET', KEYS[3], ARGV[3]) or '0')
  local wanted = math.max(current, math.floor(now_ms / 1000) + 1)
  redis.call('HSET', KEYS[3], ARGV[3], wanted)
  ARGV[4] = tostring(wanted)
elseif op == 'lock' then
  redis.call('SADD', KEYS[4], ARGV[3])
elseif op == 'unlock' then
  redis.call('SREM', KEYS[4], ARGV[3])
elseif op == 'block' then
  redis.call('HSET', KEYS[5], ARGV[3], ARGV[4])
elseif op == 'unblock' then
  redis.call('HDEL', KEYS[5], ARGV[3])
else
  return redis.error_reply('unknown op ' .. op)
end
local version = redis.call('INCR', KEYS[6])
local args = {}
for i = 3, #ARGV do args[#args + 1] = ARGV[i] end
redis.call('PUBLISH', channel, cjson.encode({ v = version, op = op, args = args }))
return { version, ARGV[4] or '' }
`;

/** Reads the whole live state and its version in one atomic step. */
export const READ_STATE_SCRIPT = `
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now_ms)
return {
  tonumber(redis.call('GET', KEYS[6]) or '0'),
  redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES'),
  redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES'),
  redis.call('HGETALL', KEYS[3]),
  redis.call('SMEMBERS', KEYS[4]),
  redis.call('HGETALL', KEYS[5]),
  now_ms
}
`;
