-- KEYS[1] an account staged by stage.lua; ARGV[1] '1' to make it active. Keeps it for good
-- -> {'ok'} | {'gone'} when it expired first
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 'gone' }
end
redis.call('HSET', KEYS[1], 'active', ARGV[1])
redis.call('PERSIST', KEYS[1])
return { 'ok' }
