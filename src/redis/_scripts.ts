// Lua scripts that change one channel atomically, so two processes joining or leaving at once agree on who was first,
// which user was added or removed, and when the channel was vacated. Keys (same order in both):
//   1 `s:{channel}`  hash socket id -> `{node}\n{user id}` (user id empty outside presence)
//   2 `u:{channel}`  hash user id -> sockets of that user in the channel (presence)
//   3 `i:{channel}`  hash user id -> user_info JSON of the user's first socket (presence)
//   4 `chans`        sorted set of occupied channels (score 0, so ZRANGEBYLEX serves prefix listings)
//   5 `ns:{node}`    set of `{channel}\n{socket id}` registered by one process, for reaping it when it dies

/** ARGV: socket id, node, user id or "", user_info JSON or "", max users, channel. Returns [first, added, count, new]. */
export const JOIN = `
local n = redis.call('HLEN', KEYS[1])
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {0, 0, n, 0} end
local added = 0
if ARGV[3] ~= '' then
  if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 0 then
    if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then return {-1, 0, n, 0} end
    added = 1
    redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  end
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\\n' .. ARGV[3])
redis.call('ZADD', KEYS[4], 0, ARGV[6])
redis.call('SADD', KEYS[5], ARGV[6] .. '\\n' .. ARGV[1])
local first = 0
if n == 0 then first = 1 end
return {first, added, n + 1, 1}
`;

/** ARGV: socket id, channel. Returns [left, vacated, removed user id or "", count]. */
export const LEAVE = `
redis.call('SREM', KEYS[5], ARGV[2] .. '\\n' .. ARGV[1])
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return {0, 0, '', redis.call('HLEN', KEYS[1])} end
redis.call('HDEL', KEYS[1], ARGV[1])
local uid = string.sub(v, string.find(v, '\\n', 1, true) + 1)
local removed = ''
if uid ~= '' then
  if redis.call('HINCRBY', KEYS[2], uid, -1) <= 0 then
    redis.call('HDEL', KEYS[2], uid)
    redis.call('HDEL', KEYS[3], uid)
    removed = uid
  end
end
local n = redis.call('HLEN', KEYS[1])
local vacated = 0
if n == 0 then
  redis.call('ZREM', KEYS[4], ARGV[2])
  vacated = 1
end
return {1, vacated, removed, n}
`;

/**
 * Signed-in sockets per user, cluster-wide. KEYS: `users` hash (user id -> sockets), `nu:{node}` set of
 * `{socket id}\n{user id}`. ARGV: +1 or -1, user id, socket id. Returns the user's new count (0: gone, hash field
 * removed), or -1 when the change was already made (a repeat after a resync).
 */
export const USER = `
local entry = ARGV[3] .. '\\n' .. ARGV[2]
if ARGV[1] == '1' then
  if redis.call('SADD', KEYS[2], entry) == 0 then return -1 end
  return redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
end
if redis.call('SREM', KEYS[2], entry) == 0 then return -1 end
local n = redis.call('HINCRBY', KEYS[1], ARGV[2], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[2]) return 0 end
return n
`;
