-- ARGV[4] key -> {'ok'} | {'none'} | {'gone'}
if not account_active() then
  return { 'gone' }
end
local now = now_ms()
local fields = read_live(ARGV[4], now)
if not fields then
  return { 'none' }
end
remove(ARGV[4])
record('delete', ARGV[4], fields[2], now)
return { 'ok' }
