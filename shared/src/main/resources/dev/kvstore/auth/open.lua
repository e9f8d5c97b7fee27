-- KEYS[1] the tenant's session families (zset, scored by expiry), KEYS[2] each family's current
-- refresh token id (hash), KEYS[3] the account hash; ARGV[1] a new family, ARGV[2] its first token
-- id, ARGV[3] its expiry (ms), ARGV[4] the password hash the caller was checked against.
-- Opens nothing when the account is gone, inactive, or its password changed after the check (a
-- login racing a password change). Also forgets up to 100 families that have expired
-- -> {'ok'} | {'stale'}
if redis.call('HGET', KEYS[3], 'active') ~= '1' or redis.call('HGET', KEYS[3], 'password') ~= ARGV[4] then
  return { 'stale' }
end
local now = now_ms()
for _, family in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('ZREM', KEYS[1], family)
  redis.call('HDEL', KEYS[2], family)
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return { 'ok' }
