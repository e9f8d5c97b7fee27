-- KEYS[1] a counter of attempts; takes one attempt back (it succeeded), never below zero -> {'ok'}
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  redis.call('DECR', KEYS[1])
end
return { 'ok' }
