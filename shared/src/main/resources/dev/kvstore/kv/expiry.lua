-- ARGV[8] key -> {'ok', now, expires or ''} | {'none'} | {'gone'} | {'slow', ms}; never reads the value.
need(entry_name(ARGV[8]))
local refusal = undeclared() or refused()
if refusal then
  return refusal
end
local now = now_ms()
local fields = redis.call('HMGET', entry_key(ARGV[8]), 'version', 'expires')
if not fields[1] or (fields[2] and tonumber(fields[2]) <= now) then
  return { 'none' }
end
return { 'ok', tostring(now), fields[2] or '' }
