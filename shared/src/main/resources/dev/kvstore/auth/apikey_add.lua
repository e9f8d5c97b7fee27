-- KEYS[1] the account hash, KEYS[2] its API keys; ARGV[1] the new key's id, [2] its record, [3] the most
-- keys a tenant may hold, [4] now (ms) -> {'ok'} | {'full'} | {'gone'}
-- Expired keys are removed first: they no longer count against the most.
if redis.call('HGET', KEYS[1], 'active') ~= '1' then
  return { 'gone' }
end
local keys = redis.call('HGETALL', KEYS[2])
for i = 1, #keys, 2 do
  local expires = cjson.decode(keys[i + 1]).expires
  if type(expires) == 'number' and expires <= tonumber(ARGV[4]) then
    redis.call('HDEL', KEYS[2], keys[i])
  end
end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then
  return { 'full' }
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return { 'ok' }
