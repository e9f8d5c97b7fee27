-- ARGV[8] limit -> {removed, next expiry or ''}: removes what expired entries left behind, each with
-- an 'expire' audit event, touching only the expired entries whatever the tenant's size. Runs whether
-- or not the account is active.
local now = now_ms()
need_purge(now, tonumber(ARGV[8]))
local ask = undeclared()
if ask then
  return ask
end
local removed = purge_expired(now, tonumber(ARGV[8]))
local next_due = redis.call('ZRANGE', tenant_key('expiry'), 0, 0, 'WITHSCORES')
return { tostring(removed), next_due[2] or '' }
