-- KEYS[1] account hash, KEYS[2] refresh token set; ARGV[1] token id.
-- -> {'ok'} while the account is active and the refresh token neither revoked nor expired | {'gone'}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('HGET', KEYS[1], 'active') ~= '1' then
  return { 'gone' }
end
local expires = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not expires or tonumber(expires) <= now then
  return { 'gone' }
end
return { 'ok' }
