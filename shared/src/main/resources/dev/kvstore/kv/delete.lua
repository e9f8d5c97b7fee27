-- ARGV[7] key -> {'ok'} | {'none'} | {'gone'} | {'slow', ms}
local refusal = refused()
if refusal then
  return refusal
end
local now = now_ms()
local fields = read_live(ARGV[7], now)
if not fields then
  return { 'none' }
end
remove(ARGV[7])
record('delete', ARGV[7], fields[2], now)
return { 'ok' }
