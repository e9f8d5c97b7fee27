-- ARGV[8] the watch's id, [9] its lease (ms), [10] the most watches a tenant may hold open, [11] how
-- long changes are kept for a resume after the last watch (ms), [12] how many changes are kept, [13]
-- the position to resume after ('' to start now)
-- -> {'ok', the position to read after} | {'busy'} when the tenant holds its most watches
-- | {'expired'} when changes after that position may be gone | {'gone'} | {'slow', ms}
-- Opens a watch: counts as one operation, takes a lease, and starts the change stream when nobody
-- watched the tenant within the retention.
local refusal = refused()
if refusal then
  return refusal
end
local now = now_ms()
local lease, retention, resume_after = tonumber(ARGV[9]), tonumber(ARGV[11]), ARGV[13]
redis.call('ZREMRANGEBYSCORE', watches, '-inf', now)
if redis.call('ZCARD', watches) >= tonumber(ARGV[10]) then
  return { 'busy' }
end
local since = redis.call('HGET', marker, 'since')
if not since then
  -- A new stream, empty but for the id it will go on from.
  since = stream_info(tenant_key('outbox'), 'last-generated-id') or '0-0'
  redis.call('DEL', marker, changes)
  redis.call('XADD', changes, 'MAXLEN', '0', '0-1', 'x', '')
  redis.call('HSET', marker, 'since', since)
end
redis.call('HSET', marker, 'keep', ARGV[12])
retain(retention)
-- Where the stream stands now: its last change, or where it began.
local head = stream_info(changes, 'last-generated-id')
if before(head, since) then
  head = since
end
if resume_after ~= '' and (before(resume_after, since) or before(head, resume_after)
    or not kept_after(resume_after)) then
  return { 'expired' }
end
redis.call('ZADD', watches, now + lease, ARGV[8])
redis.call('PEXPIRE', watches, lease)
return { 'ok', (resume_after ~= '') and resume_after or head }
