-- KEYS[1] a counter of attempts in a window; ARGV[1] the window (ms), ARGV[2] the most attempts it
-- allows. Counts this attempt, unless the counter is already full -> {'ok'} | {'full', ms left}
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[2]) then
  return { 'full', tostring(redis.call('PTTL', KEYS[1])) }
end
if redis.call('INCR', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return { 'ok' }
