-- Shared by every entry script (prepended to each, after LuaScripts.CLOCK's now_ms). KEYS[1] is always the tenant's account hash,
-- KEYS[2] the index of outboxes holding events for the tenant's slot (RedisKeys.outboxIndex);
-- ARGV[1] is the tenant prefix "kv:{T}:", from which every key below is derived, so all share one
-- slot; ARGV[2], ARGV[3] and ARGV[4] are the request id, the client address and the API key that
-- acts ('' for the account's own token) for audit events; ARGV[5..7] are the tenant's limits:
-- operations per second, keys, value bytes (0: none); a script's own arguments start at ARGV[8].
-- The names follow dev.kvstore.redis.RedisKeys.
local prefix, request_id, client_address, api_key = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local ops_per_second, max_keys, max_bytes = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])

-- A script touches only the keys declared in KEYS. Redis Cluster checks the declared keys alone: while
-- the tenant's slot moves between nodes, a script that declares every key it touches is refused
-- (TRYAGAIN, a 503) rather than run against half the tenant's keys; proxies and ACLs read KEYS too.
-- After KEYS[1] and KEYS[2] come the tenant's own keys the script may touch (its rate counter; for
-- all but the scripts that only read entries, its indexes, outbox, change stream and watches), then
-- the entries and tag indexes the request names (dev.kvstore.kv.EntryScripts). What only Redis knows,
-- an entry's stored tags or the keys an index lists, a script notes with need() before it changes
-- anything; if any such key is not declared, it changes nothing and asks for them (undeclared()),
-- and is run again with them.
local declared, asked, asking = {}, {}, {}
for _, name in ipairs(KEYS) do
  declared[name] = true
end

-- Notes that the script will touch key `name`; whether it is declared (only then may it be read).
local function need(name)
  if not declared[name] and not asked[name] then
    asked[name] = true
    asking[#asking + 1] = name
  end
  return declared[name] == true
end

-- The reply asking for the keys the script needs and was not given, {'keys', names...}, or nil.
local function undeclared()
  if #asking == 0 then
    return nil
  end
  local reply = { 'keys' }
  for _, name in ipairs(asking) do
    reply[#reply + 1] = name
  end
  return reply
end

-- `name`, a key the script touches: a declared one, or the script stops before touching it.
local function declared_key(name)
  if not declared[name] then
    error('undeclared key ' .. name)
  end
  return name
end

-- One of the tenant's own keys, by its suffix: 'keys', 'expiry', 'rate', 'outbox'...
local function tenant_key(suffix)
  return declared_key(prefix .. suffix)
end

-- 'rev' is the id of the audit event of the entry's last write: unique within the tenant for good
-- (its outbox is never reset), so it names that one write, across a delete and a re-create too.
local FIELDS = { 'value', 'version', 'tags', 'ttl', 'created', 'updated', 'expires', 'rev' }

-- How every request script starts: nil when it may go on, else the reply that refuses it. A deleted
-- or deactivated account's tokens stop working at once, checked in the same round trip; then the
-- operation counts against the tenant's rate, a one-second window, as `weight` operations (1 if nil:
-- a bulk operation counts each key; one heavier than the whole rate can never pass, and a refused one
-- takes its weight back, so that it does not hold up the tenant's other requests). The counter is
-- neither replicated nor written to the AOF (a read stays a read there): losing it in a failover costs
-- nothing. A Redis at maxmemory refuses the counter's INCR: the rate goes unchecked then, so reads
-- still work.
local function refused(weight)
  if redis.call('HGET', KEYS[1], 'active') ~= '1' then
    return { 'gone' }
  end
  if ops_per_second > 0 then
    weight = weight or 1
    if weight > ops_per_second then
      return { 'heavy' }
    end
    local counter = tenant_key('rate')
    redis.set_repl(redis.REPL_NONE)
    local count = redis.pcall('INCRBY', counter, weight)
    if type(count) ~= 'number' then
      count = 0
    elseif count == weight then
      redis.call('PEXPIRE', counter, 1000)
    end
    if count > ops_per_second and weight > 1 then
      redis.pcall('DECRBY', counter, weight)
    end
    redis.set_repl(redis.REPL_ALL)
    if count > ops_per_second then
      return { 'slow', tostring(redis.call('PTTL', counter)) }
    end
  end
  return nil
end

-- The account keeps the bytes its entries cost ('bytes', see entry_cost), so the quota check is O(1).
-- A gone account gets no such field back.
local function count_bytes(delta)
  if delta ~= 0 and redis.call('HEXISTS', KEYS[1], 'active') == 1 then
    redis.call('HINCRBY', KEYS[1], 'bytes', delta)
  end
end

local function stored_bytes()
  return tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')
end

local function tag_count(tags_json)
  local count = 0
  if tags_json and tags_json ~= '' and tags_json ~= '{}' then
    for _ in pairs(cjson.decode(tags_json)) do
      count = count + 1
    end
  end
  return count
end

-- A fixed share per entry for its hash and its metadata fields (version, times, ttl).
local ENTRY_OVERHEAD = 64

-- What an entry costs against TENANT_MAX_BYTES: its value and its tags as stored, its key once for
-- the entry and once more in every index that holds it (all keys, the expiry index when it has a
-- TTL, one per tag), and the fixed share. Kept in the entry ('cost'), so that whatever removes it
-- gives back exactly what was counted.
local function entry_cost(key, value, tags_json, expires)
  local indexes = 1 + tag_count(tags_json)
  if expires and expires ~= '' then
    indexes = indexes + 1
  end
  return ENTRY_OVERHEAD + #value + #(tags_json or '') + #key * (1 + indexes)
end

-- The cost counted for a stored entry, given its 'cost' field; entries written before costs were
-- kept counted their value only.
local function counted_cost(entry, cost)
  if cost then
    return tonumber(cost)
  end
  return redis.call('HSTRLEN', entry, 'value')
end

local function entry_name(key)
  return prefix .. 'e:' .. key
end

local function entry_key(key)
  return declared_key(entry_name(key))
end

-- The index of the entries that carry a tag; of every entry for tag name ''.
local function index_name(tag_name, tag_value)
  if tag_name == '' then
    return prefix .. 'keys'
  end
  return prefix .. 'tag:' .. tag_name .. ':' .. tag_value
end

local function each_tag_name(tags_json, action)
  if tags_json and tags_json ~= '' and tags_json ~= '{}' then
    for name, value in pairs(cjson.decode(tags_json)) do
      action(index_name(name, value))
    end
  end
end

local function each_tag_index(tags_json, action)
  each_tag_name(tags_json, function(name) action(declared_key(name)) end)
end

-- Notes the indexes of the tags in a tags JSON.
local function need_tags(tags_json)
  each_tag_name(tags_json, need)
end

-- Notes an entry the script may remove or retag: the entry, and once that is declared, the indexes
-- of the tags it holds.
local function need_entry(key)
  if need(entry_name(key)) then
    need_tags(redis.call('HGET', entry_name(key), 'tags'))
  end
end

local function index(key, tags_json, expires)
  redis.call('ZADD', tenant_key('keys'), 0, key)
  if expires ~= '' then
    redis.call('ZADD', tenant_key('expiry'), expires, key)
  end
  each_tag_index(tags_json, function(tag_index) redis.call('ZADD', tag_index, 0, key) end)
end

-- How many changes the tenant's change stream keeps, or false when nobody watches the tenant: its
-- 'watched' marker (a hash: since, keep, dropped; dev.kvstore.kv.ChangeFeed) is read once per script.
local kept_changes
local function watched()
  if kept_changes == nil then
    kept_changes = tonumber(redis.call('HGET', tenant_key('watched'), 'keep')) or false
  end
  return kept_changes
end

-- A watched tenant's change to an entry also goes to its change stream ('changes'), under its audit
-- event's id, for live watches to read and to resume from. Once the stream holds 100 changes more
-- than it keeps, its oldest 100 go, and the marker notes the last of them ('dropped'): a watch whose
-- position is older has missed changes. Ids come from the outbox, which never goes back, so the
-- stream accepts each; should it refuse one all the same, the stream and its marker go, and every
-- watch of the tenant starts over (410) rather than miss a change without knowing.
local function note_change(id, operation, key, version, now)
  if not watched() then
    return
  end
  local changes = tenant_key('changes')
  local added = redis.pcall('XADD', changes, id, 'op', operation, 'key', key, 'version', version, 'ts', now)
  if type(added) == 'table' and added.err then
    redis.call('DEL', tenant_key('watched'), changes)
    kept_changes = false
  elseif redis.call('XLEN', changes) > kept_changes + 100 then
    local oldest = redis.call('XRANGE', changes, '-', '+', 'COUNT', 101)
    redis.call('XTRIM', changes, 'MINID', oldest[101][1])
    redis.call('HSET', tenant_key('watched'), 'dropped', oldest[100][1])
  end
end

-- Appends an audit event to the tenant's outbox, in the same atomic step as the change it records,
-- and keeps the outbox in the index the relay's start-up sweep reads (a member already there
-- changes nothing, and is not replicated); the relay publishes the event and schedules the expiry
-- cleanup (dev.kvstore.audit.AuditRelay). Returns the event's id.
local function record(operation, key, version, now, expires)
  local id = redis.call('XADD', tenant_key('outbox'), '*', 'op', operation, 'key', key, 'version', version, 'ts', now,
    'expires', expires or '', 'rid', request_id, 'ip', client_address, 'by', api_key)
  redis.call('SADD', KEYS[2], string.sub(prefix, 5, -3))
  note_change(id, operation, key, version, now)
  return id
end

-- Deletes an entry, expired or not, with every index membership it has.
local function remove(key)
  local entry = entry_key(key)
  local stored = redis.call('HMGET', entry, 'cost', 'tags')
  count_bytes(-counted_cost(entry, stored[1]))
  redis.call('ZREM', tenant_key('keys'), key)
  redis.call('ZREM', tenant_key('expiry'), key)
  each_tag_index(stored[2], function(tag_index) redis.call('ZREM', tag_index, key) end)
  redis.call('DEL', entry)
end

-- The entry's fields, or nil when it does not exist or has expired: expired is absent everywhere.
local function read_live(key, now)
  local fields = redis.call('HMGET', entry_key(key), unpack(FIELDS))
  if not fields[2] or (fields[7] and tonumber(fields[7]) <= now) then
    return nil
  end
  return fields
end

local function expired_keys(now, limit)
  return redis.call('ZRANGEBYSCORE', tenant_key('expiry'), '-inf', now, 'LIMIT', 0, limit)
end

-- Notes what purge_expired(now, limit) would touch; how many entries it would remove.
local function need_purge(now, limit)
  local expired = expired_keys(now, limit)
  for _, key in ipairs(expired) do
    need_entry(key)
  end
  return #expired
end

-- Removes up to `limit` expired entries, soonest expired first, each with an 'expire' audit event;
-- its cost is proportional to what it removes, whatever the tenant's size.
local function purge_expired(now, limit)
  local expired = expired_keys(now, limit)
  for _, key in ipairs(expired) do
    record('expire', key, redis.call('HGET', entry_key(key), 'version') or '', now)
    remove(key)
  end
  return #expired
end

-- The entity tag of an entry (RFC 9110 section 8.8.3), without its quotes: its 'rev'; an entry
-- written before revisions were kept has none, and its creation time and version stand in.
local function etag(fields)
  return fields[8] or (fields[5] .. '.' .. fields[2])
end

-- About what an entry adds to an answer besides its key, tags and value: its metadata and JSON.
local ANSWER_OVERHEAD = 200

-- About the bytes an entry (its fields) takes in an answer, for the answers bounded by bytes.
local function answer_size(key, fields)
  return ANSWER_OVERHEAD + #key + #(fields[3] or '') + #fields[1]
end

-- Appends one entry to a reply: its key, its first seven fields with missing ones as '', its
-- entity tag.
local function push_entry(reply, key, fields)
  reply[#reply + 1] = key
  for i = 1, 7 do
    reply[#reply + 1] = fields[i] or ''
  end
  reply[#reply + 1] = etag(fields)
end

-- Appends an entry to an answer bounded by `budget` bytes, of which `used` are taken already, and
-- gives the bytes taken then; nil when it does not fit (the first entry always does). With
-- `keys_only`, the entry goes without its value.
local function push_within(reply, key, fields, keys_only, budget, used)
  if keys_only then
    fields[1] = ''
  end
  local size = answer_size(key, fields)
  if used > 0 and used + size > budget then
    return nil
  end
  push_entry(reply, key, fields)
  return used + size
end

-- Appends every element of a list to a reply.
local function push_all(reply, list)
  for _, element in ipairs(list) do
    reply[#reply + 1] = element
  end
end

-- Whether a request's condition holds for an entry (its fields, or nil when there is none). A
-- condition is '*' (any entry) or the entity tags it names, each with a space on either side
-- (dev.kvstore.kv.Preconditions).
local function holds(condition, fields)
  if condition == '*' then
    return fields ~= nil
  end
  return fields ~= nil and string.find(condition, ' ' .. etag(fields) .. ' ', 1, true) ~= nil
end

-- Whether a write may go on under its If-Match and If-None-Match conditions ('' when absent),
-- evaluated against the entry as it is now, in the same step as the write (RFC 9110 section 13.2).
local function preconditions_pass(if_match, if_none_match, fields)
  if if_match ~= '' and not holds(if_match, fields) then
    return false
  end
  return if_none_match == '' or not holds(if_none_match, fields)
end

-- How many expired entries a write purges when they stand in the way of a quota.
local PURGED_FOR_QUOTA = 1000

-- The quota a write adding `keys` entries and `bytes` bytes of cost would break as the tenant stands
-- ('max_keys' or 'max_bytes'), or nil.
local function quota_exceeded(now, keys, bytes)
  if max_keys > 0 and keys > 0 and redis.call('ZCARD', tenant_key('keys'))
      - redis.call('ZCOUNT', tenant_key('expiry'), '-inf', now) + keys > max_keys then
    return 'max_keys'
  end
  if max_bytes > 0 and bytes > 0 and stored_bytes() + bytes > max_bytes then
    return 'max_bytes'
  end
  return nil
end

-- Notes what quota_broken would touch for the same write.
local function need_quota(now, keys, bytes)
  if quota_exceeded(now, keys, bytes) then
    need_purge(now, PURGED_FOR_QUOTA)
  end
end

-- The quota a write adding `keys` entries and `bytes` bytes of cost would break, or nil. Expired
-- entries are purged first if they stand in the way, so they never count against a quota.
local function quota_broken(now, keys, bytes)
  local quota = quota_exceeded(now, keys, bytes)
  if quota then
    purge_expired(now, PURGED_FOR_QUOTA)
    quota = quota_exceeded(now, keys, bytes)
  end
  return quota
end
