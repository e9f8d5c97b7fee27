-- ARGV[4] key, [5] '1' to set the value, [6] value, [7] 'keep' | 'never' | 'set' expiry, [8] ttl,
-- [9] '1' to set the tags, [10] tags json -> {'ok', now, key, fields...} | {'none'} | {'gone'}
if not account_active() then
  return { 'gone' }
end
local now = now_ms()
local key = ARGV[4]
local fields = read_live(key, now)
if not fields then
  return { 'none' }
end
local entry = entry_key(key)
if ARGV[5] == '1' then
  redis.call('HSET', entry, 'value', ARGV[6])
end
if ARGV[7] == 'never' then
  redis.call('HDEL', entry, 'ttl', 'expires')
  redis.call('ZREM', prefix .. 'expiry', key)
elseif ARGV[7] == 'set' then
  local expires = now + tonumber(ARGV[8]) * 1000
  redis.call('HSET', entry, 'ttl', ARGV[8], 'expires', expires)
  redis.call('ZADD', prefix .. 'expiry', expires, key)
end
if ARGV[9] == '1' then
  each_tag_index(fields[3], function(tag_index) redis.call('ZREM', tag_index, key) end)
  each_tag_index(ARGV[10], function(tag_index) redis.call('ZADD', tag_index, 0, key) end)
  redis.call('HSET', entry, 'tags', ARGV[10])
end
local version = redis.call('HINCRBY', entry, 'version', 1)
redis.call('HSET', entry, 'updated', now)
local updated = redis.call('HMGET', entry, unpack(FIELDS))
record('update', key, version, now, updated[7])
local reply = { 'ok', tostring(now) }
push_entry(reply, key, updated)
return reply
