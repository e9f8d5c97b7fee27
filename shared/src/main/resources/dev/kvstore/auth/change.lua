-- KEYS[1] an account's hash, KEYS[2..] keys to delete with the change (the sessions, for a new
-- password); ARGV[1] a field, ARGV[2] its new value, ARGV[3] the password hash the caller was
-- checked against. Changes nothing once the account is gone (a change racing the account's
-- deletion would leave a stub behind), or when its password changed after the check (a change
-- made with the old password) -> {'ok'} | {'gone'} | {'stale'}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 'gone' }
end
if redis.call('HGET', KEYS[1], 'password') ~= ARGV[3] then
  return { 'stale' }
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
for i = 2, #KEYS do
  redis.call('DEL', KEYS[i])
end
return { 'ok' }
