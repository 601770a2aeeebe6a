-- Schedule a message for delivery into a stream at a due time: its fields go into the
-- stream's delayed messages (a hash, by member), its due time into the stream's delayed set
-- (a sorted set, member scored by due time). With an idempotency key, a marker key holds the
-- schedule id, written in the same script, so a crash leaves all of it or none.
-- KEYS[1] {stream}:delayed, KEYS[2] {stream}:delayed:messages, KEYS[3] (only with an
-- idempotency key) the marker key, all in the stream's hash slot
-- ARGV[1] member, ARGV[2] due time (ms since the epoch), ARGV[3] schedule id,
-- ARGV[4] window in ms (with a marker key), ARGV[5..] field, value, ...
-- Reply: {schedule id, 0}, or {the first publication's id, 1} if the key was published already
local marker = ''
if #KEYS == 3 then
	local first = redis.call('GET', KEYS[3])
	if first then
		return {first, 1}
	end
	redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
	marker = KEYS[3]
end
-- the marker key first, so that a cancel can free it
local message = {marker}
for i = 5, #ARGV do
	message[#message + 1] = ARGV[i]
end
redis.call('HSET', KEYS[2], ARGV[1], cmsgpack.pack(message))
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return {ARGV[3], 0}
