-- KEYS[1] the account hash, KEYS[2] its API keys; ARGV[1] a key's id
-- -> {'ok', the key's record} | {'none'} (no such key: unknown or revoked) | {'gone'} (account deleted or
-- inactive: its keys stop working at once)
if redis.call('HGET', KEYS[1], 'active') ~= '1' then
  return { 'gone' }
end
local record = redis.call('HGET', KEYS[2], ARGV[1])
if not record then
  return { 'none' }
end
return { 'ok', record }
