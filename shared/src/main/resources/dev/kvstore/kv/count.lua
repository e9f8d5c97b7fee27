-- ARGV[8] key prefix ('' for every key)
-- -> {'ok', live entries} | {'gone'} | {'slow', ms}: expired entries never counted. Every key: O(log n).
-- Under a prefix: O(log n), plus the expired entries the cleanup has not removed yet, of which it
-- purges up to 1000 first (each with its 'expire' audit event) and looks at up to 1000 more.
local now = now_ms()
local key_prefix = ARGV[8]
if key_prefix ~= '' then
  need_purge(now, 1000)
end
local refusal = undeclared() or refused()
if refusal then
  return refusal
end
if key_prefix == '' then
  local expired = redis.call('ZCOUNT', tenant_key('expiry'), '-inf', now)
  return { 'ok', tostring(redis.call('ZCARD', tenant_key('keys')) - expired) }
end
purge_expired(now, 1000)
local count = redis.call('ZLEXCOUNT', tenant_key('keys'), '[' .. key_prefix, '(' .. key_prefix .. '\255')
for _, key in ipairs(expired_keys(now, 1000)) do
  if string.sub(key, 1, #key_prefix) == key_prefix then
    count = count - 1
  end
end
return { 'ok', tostring(count) }
