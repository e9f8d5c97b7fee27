-- KEYS[1] a tenant's outbox, KEYS[2] its account hash, KEYS[3] its slot's index of outboxes holding
-- events; ARGV[1] the id of the last event the sink has taken, ARGV[2] '1' when the outbox may go
-- once empty and the account is gone, ARGV[3] the tenant's id. An emptied outbox leaves the index in
-- the same step: a write after it puts it back. The relay reads an
-- outbox from its start and new events are only ever added at its end, so every event up to that id
-- has been delivered: removes them (one trim, not one deletion per id), atomically, so no event
-- written meanwhile can be lost -> {'ok'}
-- The emptied outbox stays while its tenant lives: a stream remembers the last id it gave, so the
-- next event gets a greater one, even in the same millisecond or on a replica with a slower clock.
-- Event ids are "<tenant>:<outbox id>" and the audit log stores an id once: a deleted and re-created
-- outbox would hand out ids the log already holds, and their events would be dropped as duplicates.
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
redis.call('XDEL', KEYS[1], ARGV[1])
if redis.call('XLEN', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[3], ARGV[3])
  if ARGV[2] == '1' and redis.call('EXISTS', KEYS[2]) == 0 then
    redis.call('DEL', KEYS[1])
  end
end
return { 'ok' }
