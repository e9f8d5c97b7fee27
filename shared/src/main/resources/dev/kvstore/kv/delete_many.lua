-- ARGV[8..] pairs of (key, the version it must be at or ''), each key once
-- All or nothing: {'ok', number deleted, the deleted keys..., the missing keys...}
-- | {'failed', key} when a key is not at its version (nothing deleted) | {'gone'} | {'slow', ms}
-- Each key counts against the tenant's rate; each deletion is audited like a single one.
for i = 8, #ARGV, 2 do
  need_entry(ARGV[i])
end
local refusal = undeclared() or refused((#ARGV - 7) / 2)
if refusal then
  return refusal
end
local now = now_ms()
local live = {}
for i = 8, #ARGV, 2 do
  local fields = read_live(ARGV[i], now)
  if ARGV[i + 1] ~= '' and not (fields and fields[2] == ARGV[i + 1]) then
    return { 'failed', ARGV[i] }
  end
  live[i] = fields
end
local deleted, missing = {}, {}
for i = 8, #ARGV, 2 do
  local key = ARGV[i]
  if live[i] then
    remove(key)
    record('delete', key, live[i][2], now)
    deleted[#deleted + 1] = key
  else
    missing[#missing + 1] = key
  end
end
local reply = { 'ok', tostring(#deleted) }
push_all(reply, deleted)
push_all(reply, missing)
return reply
