-- KEYS[1] the account hash, KEYS[2] its API keys; ARGV[1] the new key's id, [2] its record, [3] the most
-- keys a tenant may hold -> {'ok'} | {'full'} | {'gone'}
if redis.call('HGET', KEYS[1], 'active') ~= '1' then
  return { 'gone' }
end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then
  return { 'full' }
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return { 'ok' }
