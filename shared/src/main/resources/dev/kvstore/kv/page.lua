-- ARGV[7] tag name ('' for all keys), [8] tag value, [9] first rank, [10] last rank
-- -> {'ok', now, total, purged, then per entry: key, fields...} | {'gone'} | {'slow', ms}
-- Expired entries are purged first (a bounded number per call), so ranks count live entries only;
-- the page itself costs O(log n + page size) whatever the tenant's size.
local refusal = refused()
if refusal then
  return refusal
end
local now = now_ms()
local purged = purge_expired(now, 1000)
local index = index_key(ARGV[7], ARGV[8])
local reply = { 'ok', tostring(now), tostring(redis.call('ZCARD', index)), tostring(purged) }
for _, key in ipairs(redis.call('ZRANGE', index, ARGV[9], ARGV[10])) do
  local fields = read_live(key, now)
  if fields then
    push_entry(reply, key, fields)
  end
end
return reply
