-- ARGV[8] the watch's id, [9] its lease (ms), [10] the retention of changes (ms), [11] the position
-- to read after, [12] the most changes to read, [13] the key prefix watched, [14] '1' to add values,
-- [15] about the most bytes of values to answer
-- -> {'ok', the position to read after next, '1' when more may be waiting at once, then per change: id, operation, key, version, time (ms),
-- value ('' when not asked for, or when a later write replaced it)}
-- | {'gone'} when the account is gone | {'closed'} when the lease has lapsed | {'lost'} when changes
-- after the position are no longer kept (the watch must start over)
-- Renews the watch's lease and the retention, then reads on. Not counted against the tenant's rate.
local after, key_prefix, with_values, budget = ARGV[11], ARGV[13], ARGV[14] == '1', tonumber(ARGV[15])
local read = redis.call('XRANGE', changes, '(' .. after, '+', 'COUNT', tonumber(ARGV[12]))
-- fields: op, key, version, ts in that order (note_change)
local function watched_key(change)
  return string.sub(change[2][4], 1, #key_prefix) == key_prefix
end
local function valued(change)
  return with_values and change[2][2] ~= 'delete' and change[2][2] ~= 'expire'
end
for _, change in ipairs(read) do
  if watched_key(change) and valued(change) then
    need(entry_name(change[2][4]))
  end
end
local ask = undeclared()
if ask then
  return ask
end
if redis.call('HGET', KEYS[1], 'active') ~= '1' then
  return { 'gone' }
end
local now = now_ms()
if not redis.call('ZSCORE', watches, ARGV[8]) then
  return { 'closed' }
end
redis.call('ZADD', watches, now + tonumber(ARGV[9]), ARGV[8])
redis.call('PEXPIRE', watches, ARGV[9])
-- The marker gone, or begun anew after this position (the watch went unread past the retention).
local since = redis.call('HGET', marker, 'since')
if not since or before(ARGV[11], since) then
  return { 'lost' }
end
retain(tonumber(ARGV[10]))
if #read == 0 then
  return { 'ok', after, '0' }
end
if not kept_after(after) then
  return { 'lost' }
end
local reply = { 'ok', after, (#read == tonumber(ARGV[12])) and '1' or '0' }
local used = 0
for _, change in ipairs(read) do
  local id, f = change[1], change[2]
  local operation, key, version, ts = f[2], f[4], f[6], f[8]
  if watched_key(change) then
    local value = ''
    if valued(change) then
      local stored = redis.call('HMGET', entry_key(key), 'value', 'rev')
      if stored[2] == id then
        if used > 0 and used + #stored[1] > budget then
          reply[3] = '1'
          return reply
        end
        value = stored[1]
        used = used + #value
      end
    end
    reply[#reply + 1] = id
    reply[#reply + 1] = operation
    reply[#reply + 1] = key
    reply[#reply + 1] = version
    reply[#reply + 1] = ts
    reply[#reply + 1] = value
  end
  reply[2] = id
end
return reply
