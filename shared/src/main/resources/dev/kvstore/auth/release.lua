-- KEYS name indexes; ARGV[1] tenant id. Frees each name still held by that tenant -> {'ok'}
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('DEL', key)
  end
end
return { 'ok' }
