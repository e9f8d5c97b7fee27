-- ARGV[8] the audit operation ('create' or 'batch'), ARGV[9..] groups of (key, value, tags json,
-- ttl seconds or '').
-- All or nothing: {'ok', now, entity tag of each entry...} | {'taken', keys...} when any key holds a live entry
-- | {'quota', 'max_keys' | 'max_bytes'} | {'gone'} | {'slow', ms}
local now = now_ms()
local added_keys, added_bytes = (#ARGV - 8) / 4, 0
for i = 9, #ARGV, 4 do
  need_entry(ARGV[i]) -- what an expired entry of that key left behind, if anything
  need_tags(ARGV[i + 2])
  added_bytes = added_bytes + entry_cost(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
end
need_quota(now, added_keys, added_bytes)
local refusal = undeclared() or refused()
if refusal then
  return refusal
end
local taken = { 'taken' }
for i = 9, #ARGV, 4 do
  if read_live(ARGV[i], now) then
    taken[#taken + 1] = ARGV[i]
  end
end
if #taken > 1 then
  return taken
end
local quota = quota_broken(now, added_keys, added_bytes)
if quota then
  return { 'quota', quota }
end
local reply = { 'ok', tostring(now) }
for i = 9, #ARGV, 4 do
  local key, value, tags, ttl = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  remove(key) -- what an expired entry of that key left behind, if anything
  local entry = entry_key(key)
  local expires = ''
  if ttl ~= '' then
    expires = now + tonumber(ttl) * 1000
  end
  local cost = entry_cost(key, value, tags, expires)
  local rev = record(ARGV[8], key, 1, now, expires)
  redis.call('HSET', entry, 'value', value, 'version', 1, 'tags', tags, 'created', now, 'updated', now, 'cost', cost,
    'rev', rev)
  count_bytes(cost)
  if expires ~= '' then
    redis.call('HSET', entry, 'ttl', ttl, 'expires', expires)
  end
  index(key, tags, expires)
  reply[#reply + 1] = rev
end
return reply
