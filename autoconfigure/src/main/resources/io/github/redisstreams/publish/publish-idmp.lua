-- Publish at most once per idempotency key with the server's own deduplication, XADD ...
-- IDMP producer-id idempotent-id (Redis 8.6+). The stream's IDMP window and size are set
-- first (XCFGSET, a no-op when unchanged; it needs the stream, so a missing one is created
-- empty). A duplicate is recognized by its id: not after the stream's last generated id.
-- KEYS[1] stream
-- ARGV[1] producer id, ARGV[2] idempotent id, ARGV[3] window in s (1..86400),
-- ARGV[4] most ids remembered (1..10000), ARGV[5..] field, value, ...
-- Reply: {entry id, 1 if a duplicate (nothing added) else 0}
if redis.call('EXISTS', KEYS[1]) == 0 then
	redis.call('XGROUP', 'CREATE', KEYS[1], 'redis-streams:idmp-init', '$', 'MKSTREAM')
	redis.call('XGROUP', 'DESTROY', KEYS[1], 'redis-streams:idmp-init')
end
redis.call('XCFGSET', KEYS[1], 'IDMP-DURATION', ARGV[3], 'IDMP-MAXSIZE', ARGV[4])
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last = '0-0'
for i = 1, #info, 2 do
	if info[i] == 'last-generated-id' then
		last = info[i + 1]
	end
end
local id = redis.call('XADD', KEYS[1], 'IDMP', ARGV[1], ARGV[2], '*', unpack(ARGV, 5))
local function parse(value)
	local dash = string.find(value, '-', 1, true)
	return tonumber(string.sub(value, 1, dash - 1)), tonumber(string.sub(value, dash + 1))
end
local ms, seq = parse(id)
local last_ms, last_seq = parse(last)
local duplicate = ms < last_ms or (ms == last_ms and seq <= last_seq)
return {id, duplicate and 1 or 0}
