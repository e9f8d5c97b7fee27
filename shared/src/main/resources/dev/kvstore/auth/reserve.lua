-- KEYS[1] username index, KEYS[2] email index; ARGV[1] tenant id.
-- Both names are taken together or not at all -> {'ok'} | {'taken', 'username'?, 'email'?}
local taken = { 'taken' }
if redis.call('EXISTS', KEYS[1]) == 1 then
  taken[#taken + 1] = 'username'
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  taken[#taken + 1] = 'email'
end
if #taken > 1 then
  return taken
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[1])
return { 'ok' }
