-- ARGV[8] about the most bytes of entries to answer, ARGV[9..] the keys, each once
-- -> {'ok', now, number of missing keys, the missing keys..., number of unread keys, the unread keys...,
-- then per entry: key, fields...} | {'gone'} | {'slow', ms}
-- Each key counts against the tenant's rate. The answer stops before the entry that would take it
-- past the byte budget (the first entry is always answered): the keys from there on are unread.
for i = 9, #ARGV do
  need(entry_name(ARGV[i]))
end
local refusal = undeclared() or refused(#ARGV - 8)
if refusal then
  return refusal
end
local now = now_ms()
local budget = tonumber(ARGV[8])
local missing, unread, entries = {}, {}, {}
local used = 0
for i = 9, #ARGV do
  local key = ARGV[i]
  local fields = (#unread == 0) and read_live(key, now)
  if #unread > 0 then
    unread[#unread + 1] = key
  elseif not fields then
    missing[#missing + 1] = key
  else
    used = push_within(entries, key, fields, false, budget, used)
    if not used then
      unread[#unread + 1] = key
    end
  end
end
local reply = { 'ok', tostring(now), tostring(#missing) }
push_all(reply, missing)
reply[#reply + 1] = tostring(#unread)
push_all(reply, unread)
push_all(reply, entries)
return reply
