-- KEYS[1] a tenant's outbox, KEYS[2] its slot's index of outboxes holding events; ARGV[1] the
-- tenant's id, then the event's fields and values -> {'ok'}: appends the event and keeps the outbox
-- in the index, in one step.
redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
redis.call('SADD', KEYS[2], ARGV[1])
return { 'ok' }
