-- ARGV[8] the watch's id -> {'ok'}: gives its lease back.
redis.call('ZREM', watches, ARGV[8])
return { 'ok' }
