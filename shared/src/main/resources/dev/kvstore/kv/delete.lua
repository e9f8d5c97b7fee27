-- ARGV[2] key -> {'ok'} | {'none'} | {'gone'}
if not account_active() then
  return { 'gone' }
end
if not read_live(ARGV[2], now_ms()) then
  return { 'none' }
end
remove(ARGV[2])
return { 'ok' }
