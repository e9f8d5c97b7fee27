-- ARGV[7] key, [8] If-Match, [9] If-None-Match ('' for none)
-- -> {'ok'} | {'none'} | {'failed'} (a condition) | {'gone'} | {'slow', ms}
local refusal = refused()
if refusal then
  return refusal
end
local now = now_ms()
local fields = read_live(ARGV[7], now)
if not preconditions_pass(ARGV[8], ARGV[9], fields) then
  return { 'failed' }
end
if not fields then
  return { 'none' }
end
remove(ARGV[7])
record('delete', ARGV[7], fields[2], now)
return { 'ok' }
