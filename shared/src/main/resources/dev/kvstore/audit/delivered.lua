-- KEYS[1] a tenant's outbox; ARGV the ids of events the sink has taken. Removes them, and the
-- outbox itself once empty, atomically, so no event written meanwhile can be lost -> {'ok'}
redis.call('XDEL', KEYS[1], unpack(ARGV))
if redis.call('XLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1])
end
return { 'ok' }
