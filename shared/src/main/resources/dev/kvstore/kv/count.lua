-- -> {'ok', live entries} | {'gone'} | {'slow', ms}: O(log n), expired entries never counted.
local refusal = refused()
if refusal then
  return refusal
end
local expired = redis.call('ZCOUNT', prefix .. 'expiry', '-inf', now_ms())
return { 'ok', tostring(redis.call('ZCARD', prefix .. 'keys') - expired) }
