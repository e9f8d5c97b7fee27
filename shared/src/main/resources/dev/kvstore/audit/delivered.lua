-- KEYS[1] a tenant's outbox; ARGV[1] the id of the last event the sink has taken. The relay reads an
-- outbox from its start and new events are only ever added at its end, so every event up to that
-- id has been delivered: removes them (one trim, not one deletion per id), and the outbox itself
-- once empty, atomically, so no event written meanwhile can be lost -> {'ok'}
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
redis.call('XDEL', KEYS[1], ARGV[1])
if redis.call('XLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1])
end
return { 'ok' }
