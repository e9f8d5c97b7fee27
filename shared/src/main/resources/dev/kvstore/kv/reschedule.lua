-- KEYS[1] the expiry schedule; ARGV[1] tenant, ARGV[2] the score the cleanup read, ARGV[3] the next
-- expiry or '' for none. Changes the tenant's entry only if no write moved it meanwhile -> {'ok'}
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if current and tonumber(current) == tonumber(ARGV[2]) then
  if ARGV[3] == '' then
    redis.call('ZREM', KEYS[1], ARGV[1])
  else
    redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  end
end
return { 'ok' }
