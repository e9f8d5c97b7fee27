-- ARGV[8] key -> {'ok', now, key, fields...} | {'none'} | {'gone'} | {'slow', ms}
need(entry_name(ARGV[8]))
local refusal = undeclared() or refused()
if refusal then
  return refusal
end
local now = now_ms()
local fields = read_live(ARGV[8], now)
if not fields then
  return { 'none' }
end
local reply = { 'ok', tostring(now) }
push_entry(reply, ARGV[8], fields)
return reply
