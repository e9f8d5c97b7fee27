-- ARGV[7] tag name ('' for all keys), [8] tag value, [9] first rank, [10] last rank, [11] about the
-- most bytes of entries to answer, [12] '1' to leave the values out
-- -> {'ok', now, total, purged, next rank or '', then per entry: key, fields...} | {'gone'} | {'slow', ms}
-- Expired entries are purged first (a bounded number per call), so ranks count live entries only;
-- the page itself costs O(log n + page size) whatever the tenant's size. A page stops before the
-- entry that would take it past the byte budget (the first entry is always answered) and gives the
-- rank the next page starts at.
local refusal = refused()
if refusal then
  return refusal
end
local now = now_ms()
local purged = purge_expired(now, 1000)
local index = index_key(ARGV[7], ARGV[8])
local first, budget, keys_only = tonumber(ARGV[9]), tonumber(ARGV[11]), ARGV[12] == '1'
local reply = { 'ok', tostring(now), tostring(redis.call('ZCARD', index)), tostring(purged), '' }
local used = 0
for i, key in ipairs(redis.call('ZRANGE', index, ARGV[9], ARGV[10])) do
  local fields = read_live(key, now)
  if fields then
    if keys_only then
      fields[1] = ''
    end
    local size = answer_size(key, fields)
    if used > 0 and used + size > budget then
      reply[5] = tostring(first + i - 1)
      break
    end
    used = used + size
    push_entry(reply, key, fields)
  end
end
return reply
