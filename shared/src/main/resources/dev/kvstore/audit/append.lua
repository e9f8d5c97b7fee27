-- KEYS[1] the tenant's audit log (zset), KEYS[2] its events (hash); ARGV[1] the member before which
-- events are past retention, ARGV[2] retention in ms, then for each event its member
-- "<time>|<event id>" and its JSON. Idempotent: an event already stored is not stored again.
-- -> {number of events stored}
local stored = 0
for i = 3, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('ZADD', KEYS[1], 0, ARGV[i])
    stored = stored + 1
  end
end
for _, old in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], '-', '(' .. ARGV[1], 'LIMIT', 0, 100)) do
  redis.call('ZREM', KEYS[1], old)
  redis.call('HDEL', KEYS[2], old)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return { tostring(stored) }
