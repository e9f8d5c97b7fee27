-- KEYS[1] a tenant's outbox, KEYS[2] its slot's index of outboxes holding events; ARGV[1] the
-- tenant's id -> {'ok'}: takes an outbox that holds no event out of the index, atomically with
-- that check, so that an event written meanwhile is never left unindexed.
if redis.call('XLEN', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[2], ARGV[1])
end
return { 'ok' }
