-- Deletes up to ARGV[8] entries of a tenant whose account is gone -> {removed}; at 0 the indexes go too.
local keys = redis.call('ZRANGE', tenant_key('keys'), 0, tonumber(ARGV[8]) - 1)
local leftovers = { 'keys', 'expiry', 'refresh', 'refresh:current', 'rate', 'apikeys', 'watched', 'changes', 'watches' }
for _, key in ipairs(keys) do
  need_entry(key)
end
if #keys == 0 then
  for _, suffix in ipairs(leftovers) do
    need(prefix .. suffix)
  end
end
local ask = undeclared()
if ask then
  return ask
end
for _, key in ipairs(keys) do
  remove(key)
end
if #keys == 0 then
  for _, suffix in ipairs(leftovers) do
    redis.call('DEL', tenant_key(suffix))
  end
end
return { tostring(#keys) }
