-- Schedule a message for delivery into a stream at a due time: its fields go into the
-- stream's delayed messages (a hash, by member), its due time into the stream's delayed set
-- (a sorted set, member scored by due time). With an idempotency key, a marker key holds the
-- schedule id. The marker is written last: a refusal of an earlier write (a key of another
-- type) leaves no marker of a message that was not scheduled.
-- KEYS[1] {stream}:delayed, KEYS[2] {stream}:delayed:messages, KEYS[3] (only with an
-- idempotency key) the marker key, all in the stream's hash slot
-- ARGV[1] member, ARGV[2] due time (ms since the epoch), ARGV[3] schedule id,
-- ARGV[4] the marker's time to live in ms, ARGV[5..] field, value, ...
-- Reply: {schedule id, 0, 1 if the delayed set was empty before}, or {the first
-- publication's id, 1, 0} if the key was published already
if #KEYS == 3 then
	local first = redis.call('GET', KEYS[3])
	if first then
		return {first, 1, 0}
	end
end
-- the marker key first, so that a cancel can free it
local message = {(#KEYS == 3) and KEYS[3] or ''}
for i = 5, #ARGV do
	message[#message + 1] = ARGV[i]
end
local wasEmpty = redis.call('EXISTS', KEYS[1]) == 0 and 1 or 0
redis.call('HSET', KEYS[2], ARGV[1], cmsgpack.pack(message))
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
if #KEYS == 3 then
	redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
end
return {ARGV[3], 0, wasEmpty}
