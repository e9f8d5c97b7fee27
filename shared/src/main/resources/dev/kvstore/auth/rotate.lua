-- KEYS[1] the account hash, KEYS[2] session families (zset), KEYS[3] current token per family (hash),
-- KEYS[4] the family's last rotation ("<id presented>\n<next refresh id>\n<next access id>\n<issued at>",
-- kept for the grace window: ids and a time, from which the same tokens are signed again; never the
-- tokens themselves);
-- ARGV[1] the family, ARGV[2] the token id presented, ARGV[3] the id replacing it, ARGV[4] its expiry,
-- ARGV[5] the next access token's id, ARGV[6] when the next pair is issued (ms), ARGV[7] the grace
-- window (ms, 0: none).
-- A family has one live refresh token at a time. Presenting the one it replaced again within the grace
-- window (two tabs, a retry after a lost answer) gets the same next pair; presenting any other earlier
-- one (it was used already, so someone else holds it too) revokes the whole family.
-- -> {'ok'} | {'again', refresh id, access id, issued at} | {'gone'} account inactive
--    | {'revoked'} family ended | {'reused'} family now revoked
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
  local last = redis.call('GET', KEYS[4])
  if last then
    local presented, refresh, access, issued = string.match(last, '^([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)$')
    if presented == ARGV[2] and refresh == current then
      return { 'again', refresh, access, issued }
    end
  end
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('DEL', KEYS[4])
  return { 'reused' }
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
if tonumber(ARGV[7]) > 0 then
  redis.call('SET', KEYS[4], ARGV[2] .. '\n' .. ARGV[3] .. '\n' .. ARGV[5] .. '\n' .. ARGV[6], 'PX', ARGV[7])
else
  redis.call('DEL', KEYS[4])
end
return { 'ok' }
