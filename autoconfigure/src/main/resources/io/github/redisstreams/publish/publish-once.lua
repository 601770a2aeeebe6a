-- Publish at most once per idempotency key within a window: a marker key holds the first
-- publication's entry id. Marker and entry are written together, so a crash leaves both or
-- neither.
-- KEYS[1] stream, KEYS[2] marker (in the stream's hash slot)
-- ARGV[1] window in ms, ARGV[2..] field, value, ...
-- Reply: {entry id, 1 if a duplicate (nothing added) else 0}
local first = redis.call('GET', KEYS[2])
if first then
	return {first, 1}
end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
redis.call('SET', KEYS[2], id, 'PX', ARGV[1])
return {id, 0}
