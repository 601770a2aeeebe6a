-- Move a stream's due delayed messages into the stream, the earliest due first. Each one is
-- added (XADD) and forgotten (ZREM, HDEL) by this script before the next: Redis runs one
-- script at a time, so however many movers run, a message is added once, and a failure
-- (a key of the wrong type, out of memory) leaves the rest scheduled.
-- KEYS[1] {stream}:delayed, KEYS[2] {stream}:delayed:messages, KEYS[3] the stream
-- ARGV[1] now (ms since the epoch, by the mover's clock), ARGV[2] the most messages to move
-- Reply: {messages due in this batch, messages moved (some may have lost their fields), messages
-- still scheduled}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local moved = 0
for _, member in ipairs(due) do
	local packed = redis.call('HGET', KEYS[2], member)
	if packed then
		local message = cmsgpack.unpack(packed)
		redis.call('XADD', KEYS[3], '*', unpack(message, 2))
		moved = moved + 1
	end
	redis.call('ZREM', KEYS[1], member)
	redis.call('HDEL', KEYS[2], member)
end
return {#due, moved, redis.call('ZCARD', KEYS[1])}
