-- ARGV[4] tag name ('' for all keys), [5] tag value, [6] first rank, [7] last rank
-- -> {'ok', now, total, purged, then per entry: key, fields...} | {'gone'}
-- Expired entries are purged first (a bounded number per call), so ranks count live entries only;
-- the page itself costs O(log n + page size) whatever the tenant's size.
if not account_active() then
  return { 'gone' }
end
local now = now_ms()
local purged = purge_expired(now, 1000)
local index = index_key(ARGV[4], ARGV[5])
local reply = { 'ok', tostring(now), tostring(redis.call('ZCARD', index)), tostring(purged) }
for _, key in ipairs(redis.call('ZRANGE', index, ARGV[6], ARGV[7])) do
  local fields = read_live(key, now)
  if fields then
    push_entry(reply, key, fields)
  end
end
return reply
