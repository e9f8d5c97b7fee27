-- KEYS[1] an account's hash, KEYS[2..] keys to delete with the change (the sessions, for a new
-- password); ARGV[1] a field, ARGV[2] its new value. Changes nothing once the account is gone, so
-- a change racing the account's deletion cannot leave a stub behind -> {'ok'} | {'gone'}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 'gone' }
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
for i = 2, #KEYS do
  redis.call('DEL', KEYS[i])
end
return { 'ok' }
