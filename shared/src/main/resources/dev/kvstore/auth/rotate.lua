-- KEYS[1] the account hash, KEYS[2] session families (zset), KEYS[3] current token per family (hash);
-- ARGV[1] the family, ARGV[2] the token id presented, ARGV[3] the id replacing it, ARGV[4] its expiry.
-- A family has one live refresh token at a time. Presenting any earlier one (it was used already, so
-- someone else holds it too) revokes the whole family.
-- -> {'ok'} | {'gone'} account inactive | {'revoked'} family ended | {'reused'} family now revoked
if redis.call('HGET', KEYS[1], 'active') ~= '1' then
  return { 'gone' }
end
local now = now_ms()
local current = redis.call('HGET', KEYS[3], ARGV[1])
local expires = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not current or not expires or tonumber(expires) <= now then
  return { 'revoked' }
end
if current ~= ARGV[2] then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  return { 'reused' }
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return { 'ok' }
