-- KEYS[1] the tenant's audit log (zset), KEYS[2] its events (hash); ARGV[1] the event's member
-- "<time>|<event id>", ARGV[2] its JSON, ARGV[3] the member before which events are past retention,
-- ARGV[4] retention in ms. Idempotent: an event already stored is not stored again -> {'1'} | {'0'}
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then
  return { '0' }
end
redis.call('ZADD', KEYS[1], 0, ARGV[1])
for _, old in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], '-', '(' .. ARGV[3], 'LIMIT', 0, 100)) do
  redis.call('ZREM', KEYS[1], old)
  redis.call('HDEL', KEYS[2], old)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return { '1' }
