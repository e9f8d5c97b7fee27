-- ARGV[2] key, [3] '1' to set the value, [4] value, [5] 'keep' | 'never' | 'set' expiry, [6] ttl,
-- [7] '1' to set the tags, [8] tags json -> {'ok', now, key, fields...} | {'none'} | {'gone'}
if not account_active() then
  return { 'gone' }
end
local now = now_ms()
local key = ARGV[2]
local fields = read_live(key, now)
if not fields then
  return { 'none' }
end
local entry = entry_key(key)
if ARGV[3] == '1' then
  redis.call('HSET', entry, 'value', ARGV[4])
end
if ARGV[5] == 'never' then
  redis.call('HDEL', entry, 'ttl', 'expires')
  redis.call('ZREM', prefix .. 'expiry', key)
elseif ARGV[5] == 'set' then
  local expires = now + tonumber(ARGV[6]) * 1000
  redis.call('HSET', entry, 'ttl', ARGV[6], 'expires', expires)
  redis.call('ZADD', prefix .. 'expiry', expires, key)
end
if ARGV[7] == '1' then
  each_tag_index(fields[3], function(tag_index) redis.call('ZREM', tag_index, key) end)
  each_tag_index(ARGV[8], function(tag_index) redis.call('ZADD', tag_index, 0, key) end)
  redis.call('HSET', entry, 'tags', ARGV[8])
end
redis.call('HINCRBY', entry, 'version', 1)
redis.call('HSET', entry, 'updated', now)
local reply = { 'ok', tostring(now) }
push_entry(reply, key, redis.call('HMGET', entry, unpack(FIELDS)))
return reply
