-- ARGV[8] key, [9] If-Match, [10] If-None-Match ('' for none)
-- -> {'ok'} | {'none'} | {'failed'} (a condition) | {'gone'} | {'slow', ms}
need_entry(ARGV[8])
local refusal = undeclared() or refused()
if refusal then
  return refusal
end
local now = now_ms()
local fields = read_live(ARGV[8], now)
if not preconditions_pass(ARGV[9], ARGV[10], fields) then
  return { 'failed' }
end
if not fields then
  return { 'none' }
end
remove(ARGV[8])
record('delete', ARGV[8], fields[2], now)
return { 'ok' }
