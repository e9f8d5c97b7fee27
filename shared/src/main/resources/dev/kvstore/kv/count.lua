-- -> {'ok', live entries} | {'gone'}: O(log n), expired entries never counted.
if not account_active() then
  return { 'gone' }
end
local expired = redis.call('ZCOUNT', prefix .. 'expiry', '-inf', now_ms())
return { 'ok', tostring(redis.call('ZCARD', prefix .. 'keys') - expired) }
