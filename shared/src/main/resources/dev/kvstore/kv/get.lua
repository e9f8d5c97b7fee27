-- ARGV[4] key -> {'ok', now, key, fields...} | {'none'} | {'gone'}
if not account_active() then
  return { 'gone' }
end
local now = now_ms()
local fields = read_live(ARGV[4], now)
if not fields then
  return { 'none' }
end
local reply = { 'ok', tostring(now) }
push_entry(reply, ARGV[4], fields)
return reply
