-- ARGV[4] the audit operation ('create' or 'batch'), ARGV[5..] groups of (key, value, tags json,
-- ttl seconds or '').
-- All or nothing: {'ok', now} | {'taken', keys...} when any key holds a live entry | {'gone'}
if not account_active() then
  return { 'gone' }
end
local now = now_ms()
local taken = { 'taken' }
for i = 5, #ARGV, 4 do
  if read_live(ARGV[i], now) then
    taken[#taken + 1] = ARGV[i]
  end
end
if #taken > 1 then
  return taken
end
for i = 5, #ARGV, 4 do
  local key, value, tags, ttl = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  remove(key) -- what an expired entry of that key left behind, if anything
  local entry = entry_key(key)
  redis.call('HSET', entry, 'value', value, 'version', 1, 'tags', tags, 'created', now, 'updated', now)
  local expires = ''
  if ttl ~= '' then
    expires = now + tonumber(ttl) * 1000
    redis.call('HSET', entry, 'ttl', ttl, 'expires', expires)
  end
  index(key, tags, expires)
  record(ARGV[4], key, 1, now, expires)
end
return { 'ok', tostring(now) }
