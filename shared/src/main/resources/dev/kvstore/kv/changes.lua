-- Shared by the watch scripts (after entries.lua). A watch holds a lease in 'watches' (zset: watch id
-- scored by when its lease ends), so a tenant's open watches can be counted across app instances and
-- a watch whose instance died stops counting. While the tenant's 'watched' marker lives, every change
-- to an entry goes to its 'changes' stream too (note_change); the marker (a hash) holds 'since', the
-- last audit event id before the stream began (every change after it is there), 'keep', how many
-- changes the stream keeps, and 'dropped', the newest change it no longer holds.

local watches, marker, changes = tenant_key('watches'), tenant_key('watched'), tenant_key('changes')

-- A stream's XINFO field, or nil when the stream does not exist.
local function stream_info(stream, field)
  if redis.call('EXISTS', stream) == 0 then
    return nil
  end
  local info = redis.call('XINFO', 'STREAM', stream)
  for i = 1, #info, 2 do
    if info[i] == field then
      return info[i + 1]
    end
  end
  return nil
end

-- Whether stream id a ("<ms>-<seq>") comes before stream id b.
local function before(a, b)
  local a_ms, a_seq = string.match(a, '^(%d+)-(%d+)$')
  local b_ms, b_seq = string.match(b, '^(%d+)-(%d+)$')
  a_ms, b_ms = tonumber(a_ms), tonumber(b_ms)
  return a_ms < b_ms or (a_ms == b_ms and tonumber(a_seq) < tonumber(b_seq))
end

-- Whether every change after position p is still in the stream: the stream drops its oldest first.
local function kept_after(p)
  local dropped = redis.call('HGET', marker, 'dropped')
  return not dropped or not before(p, dropped)
end

-- Keeps the marker and the stream for `retention` ms more; the stream outlives the marker, so that
-- while the marker lives, every change is written to a stream that expires (never to a new one).
local function retain(retention)
  redis.call('PEXPIRE', marker, retention)
  redis.call('PEXPIRE', changes, retention + 1000)
end
