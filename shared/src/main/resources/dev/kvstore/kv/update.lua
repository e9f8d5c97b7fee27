-- ARGV[8] key, [9] '1' to set the value, [10] value, [11] 'keep' | 'never' | 'set' expiry, [12] ttl,
-- [13] '1' to set the tags, [14] tags json, [15] If-Match, [16] If-None-Match ('' for none)
-- -> {'ok', now, key, fields...} | {'none'} | {'failed'} (a condition) | {'quota', 'max_bytes'} | {'gone'}
-- | {'slow', ms}
local now = now_ms()
local key = ARGV[8]
if ARGV[13] == '1' then
  need_entry(key) -- with the indexes of the tags it holds, which it leaves
  need_tags(ARGV[14])
else
  need(entry_name(key))
end
local refusal = undeclared()
if refusal then
  return refusal
end
local fields = read_live(key, now)
local entry = entry_key(key)
local value, tags, expires = '', '', ''
if fields then
  value, tags, expires = fields[1], fields[3], fields[7]
end
if ARGV[9] == '1' then
  value = ARGV[10]
end
if ARGV[11] == 'never' then
  expires = ''
elseif ARGV[11] == 'set' then
  expires = now + tonumber(ARGV[12]) * 1000
end
if ARGV[13] == '1' then
  tags = ARGV[14]
end
local cost = entry_cost(key, value, tags, expires)
local growth = fields and (cost - counted_cost(entry, redis.call('HGET', entry, 'cost'))) or 0
need_quota(now, 0, growth)
refusal = undeclared() or refused()
if refusal then
  return refusal
end
if not preconditions_pass(ARGV[15], ARGV[16], fields) then
  return { 'failed' }
end
if not fields then
  return { 'none' }
end
if quota_broken(now, 0, growth) then
  return { 'quota', 'max_bytes' }
end
count_bytes(growth)
redis.call('HSET', entry, 'cost', cost)
if ARGV[9] == '1' then
  redis.call('HSET', entry, 'value', ARGV[10])
end
if ARGV[11] == 'never' then
  redis.call('HDEL', entry, 'ttl', 'expires')
  redis.call('ZREM', tenant_key('expiry'), key)
elseif ARGV[11] == 'set' then
  redis.call('HSET', entry, 'ttl', ARGV[12], 'expires', expires)
  redis.call('ZADD', tenant_key('expiry'), expires, key)
end
if ARGV[13] == '1' then
  each_tag_index(fields[3], function(tag_index) redis.call('ZREM', tag_index, key) end)
  each_tag_index(ARGV[14], function(tag_index) redis.call('ZADD', tag_index, 0, key) end)
  redis.call('HSET', entry, 'tags', ARGV[14])
end
local version = redis.call('HINCRBY', entry, 'version', 1)
redis.call('HSET', entry, 'updated', now, 'rev', record('update', key, version, now, expires))
local reply = { 'ok', tostring(now) }
push_entry(reply, key, redis.call('HMGET', entry, unpack(FIELDS)))
return reply
