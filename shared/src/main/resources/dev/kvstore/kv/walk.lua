-- ARGV[8] tag name ('' for all keys), [9] tag value, [10] key prefix, [11] the last key of the
-- previous page ('' to start), [12] most entries, [13] about the most bytes of entries to answer,
-- [14] '1' to leave the values out
-- -> {'ok', now, the key to go on after ('' when the walk is done), then per entry: key, fields...}
-- | {'gone'} | {'slow', ms}
-- Walks the index in key order from just after the previous page's last key: a key that exists for
-- the whole walk is answered exactly once, whatever is written meanwhile. Costs O(log n + page)
-- whatever the tenant's size; expired entries are skipped. A page stops before the entry that would
-- take it past the byte budget (the first entry is always answered).
local now = now_ms()
local index = index_name(ARGV[8], ARGV[9])
local key_prefix, after, limit, budget = ARGV[10], ARGV[11], tonumber(ARGV[12]), tonumber(ARGV[13])
local keys_only = ARGV[14] == '1'
local low = (after ~= '') and ('(' .. after) or ('[' .. key_prefix)
-- No UTF-8 text holds the byte 0xFF: every key that starts with the prefix sorts below this bound.
local high = (key_prefix ~= '') and ('(' .. key_prefix .. '\255') or '+'
local keys = {}
if need(index) then
  keys = redis.call('ZRANGEBYLEX', index, low, high, 'LIMIT', 0, limit + 1)
  for i = 1, math.min(#keys, limit) do
    need(entry_name(keys[i]))
  end
end
local refusal = undeclared() or refused()
if refusal then
  return refusal
end
local reply = { 'ok', tostring(now), '' }
local used = 0
for i = 1, math.min(#keys, limit) do
  local key = keys[i]
  local fields = read_live(key, now)
  if fields then
    used = push_within(reply, key, fields, keys_only, budget, used)
    if not used then
      reply[3] = keys[i - 1]
      return reply
    end
  end
end
if #keys > limit then
  reply[3] = keys[limit]
end
return reply
