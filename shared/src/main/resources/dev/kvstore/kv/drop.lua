-- Deletes up to ARGV[8] entries of a tenant whose account is gone -> {removed}; at 0 the indexes go too.
local keys = redis.call('ZRANGE', prefix .. 'keys', 0, tonumber(ARGV[8]) - 1)
for _, key in ipairs(keys) do
  remove(key)
end
if #keys == 0 then
  redis.call('DEL', prefix .. 'keys', prefix .. 'expiry', prefix .. 'refresh', prefix .. 'refresh:current', prefix .. 'rate',
    prefix .. 'apikeys', prefix .. 'watched', prefix .. 'changes', prefix .. 'watches')
end
return { tostring(#keys) }
