-- KEYS[1] a new account's hash; ARGV[1] how long it may stay unfinished (ms), then field, value pairs.
-- Writes the account inactive, to expire unless finished: a registration writes it before it
-- reserves the names, so a name whose account does not exist is held by nobody -> {'ok'}
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('HSET', KEYS[1], 'active', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return { 'ok' }
