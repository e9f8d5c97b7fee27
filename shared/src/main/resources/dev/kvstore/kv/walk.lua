-- ARGV[7] tag name ('' for all keys), [8] tag value, [9] key prefix, [10] the last key of the
-- previous page ('' to start), [11] most entries, [12] about the most bytes of entries to answer,
-- [13] '1' to leave the values out
-- -> {'ok', now, the key to go on after ('' when the walk is done), then per entry: key, fields...}
-- | {'gone'} | {'slow', ms}
-- Walks the index in key order from just after the previous page's last key: a key that exists for
-- the whole walk is answered exactly once, whatever is written meanwhile. Costs O(log n + page)
-- whatever the tenant's size; expired entries are skipped. A page stops before the entry that would
-- take it past the byte budget (the first entry is always answered).
local refusal = refused()
if refusal then
  return refusal
end
local now = now_ms()
local index = index_key(ARGV[7], ARGV[8])
local key_prefix, after, limit, budget = ARGV[9], ARGV[10], tonumber(ARGV[11]), tonumber(ARGV[12])
local keys_only = ARGV[13] == '1'
local low = (after ~= '') and ('(' .. after) or ('[' .. key_prefix)
-- No UTF-8 text holds the byte 0xFF: every key that starts with the prefix sorts below this bound.
local high = (key_prefix ~= '') and ('(' .. key_prefix .. '\255') or '+'
local keys = redis.call('ZRANGEBYLEX', index, low, high, 'LIMIT', 0, limit + 1)
local reply = { 'ok', tostring(now), '' }
local used = 0
for i = 1, math.min(#keys, limit) do
  local key = keys[i]
  local fields = read_live(key, now)
  if fields then
    if keys_only then
      fields[1] = ''
    end
    local size = answer_size(key, fields)
    if used > 0 and used + size > budget then
      reply[3] = keys[i - 1]
      return reply
    end
    used = used + size
    push_entry(reply, key, fields)
  end
end
if #keys > limit then
  reply[3] = keys[limit]
end
return reply
