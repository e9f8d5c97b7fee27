-- ARGV[4] key -> {'ok', now, expires or ''} | {'none'} | {'gone'}; never reads the value.
if not account_active() then
  return { 'gone' }
end
local now = now_ms()
local fields = redis.call('HMGET', entry_key(ARGV[4]), 'version', 'expires')
if not fields[1] or (fields[2] and tonumber(fields[2]) <= now) then
  return { 'none' }
end
return { 'ok', tostring(now), fields[2] or '' }
