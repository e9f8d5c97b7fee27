-- ARGV[8] tag name ('' for all keys), [9] tag value, [10] first rank, [11] last rank, [12] about the
-- most bytes of entries to answer, [13] '1' to leave the values out
-- -> {'ok', now, total, purged, next rank or '', then per entry: key, fields...} | {'gone'} | {'slow', ms}
-- Expired entries are purged first (a bounded number per call), so ranks count live entries only;
-- the page itself costs O(log n + page size) whatever the tenant's size. A page stops before the
-- entry that would take it past the byte budget (the first entry is always answered) and gives the
-- rank the next page starts at.
local now = now_ms()
local index = index_name(ARGV[8], ARGV[9])
-- Purging moves the page's entries down by at most as many ranks as it removes.
local purging = need_purge(now, 1000)
if need(index) then
  for _, key in ipairs(redis.call('ZRANGE', index, ARGV[10], tonumber(ARGV[11]) + purging)) do
    need(entry_name(key))
  end
end
local refusal = undeclared() or refused()
if refusal then
  return refusal
end
local purged = purge_expired(now, 1000)
local first, budget, keys_only = tonumber(ARGV[10]), tonumber(ARGV[12]), ARGV[13] == '1'
local reply = { 'ok', tostring(now), tostring(redis.call('ZCARD', index)), tostring(purged), '' }
local used = 0
for i, key in ipairs(redis.call('ZRANGE', index, ARGV[10], ARGV[11])) do
  local fields = read_live(key, now)
  if fields then
    used = push_within(reply, key, fields, keys_only, budget, used)
    if not used then
      reply[5] = tostring(first + i - 1)
      break
    end
  end
end
return reply
