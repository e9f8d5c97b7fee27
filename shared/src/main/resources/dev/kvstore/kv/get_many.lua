-- ARGV[7] about the most bytes of entries to answer, ARGV[8..] the keys, each once
-- -> {'ok', now, number of missing keys, the missing keys..., number of unread keys, the unread keys...,
-- then per entry: key, fields...} | {'gone'} | {'slow', ms}
-- Each key counts against the tenant's rate. The answer stops before the entry that would take it
-- past the byte budget (the first entry is always answered): the keys from there on are unread.
local refusal = refused(#ARGV - 7)
if refusal then
  return refusal
end
local now = now_ms()
local budget = tonumber(ARGV[7])
local missing, unread, entries = {}, {}, {}
local used = 0
for i = 8, #ARGV do
  local key = ARGV[i]
  local fields = (#unread == 0) and read_live(key, now)
  if #unread > 0 then
    unread[#unread + 1] = key
  elseif not fields then
    missing[#missing + 1] = key
  elseif used > 0 and used + answer_size(key, fields) > budget then
    unread[#unread + 1] = key
  else
    used = used + answer_size(key, fields)
    push_entry(entries, key, fields)
  end
end
local reply = { 'ok', tostring(now), tostring(#missing) }
for _, key in ipairs(missing) do
  reply[#reply + 1] = key
end
reply[#reply + 1] = tostring(#unread)
for _, key in ipairs(unread) do
  reply[#reply + 1] = key
end
for _, element in ipairs(entries) do
  reply[#reply + 1] = element
end
return reply
