-- Cancel a delayed message that is not moved yet, and free its idempotency key: the marker
-- key is deleted if it still holds this message's schedule id (not a later publication's).
-- All in one script, so a cancel and a mover never both succeed and a cancelled message's
-- key is free the moment the cancel returns.
-- KEYS[1] {stream}:delayed, KEYS[2] {stream}:delayed:messages, KEYS[3] (if the message has
-- one) its marker key, as delayed-marker.lua read it
-- ARGV[1] member, ARGV[2] schedule id
-- Reply: 1 if it was scheduled and is now cancelled, 0 if not (moved, cancelled, unknown),
-- -1 if its marker key is not the one given (read again and retry)
local packed = redis.call('HGET', KEYS[2], ARGV[1])
if packed then
	local marker = cmsgpack.unpack(packed)[1]
	if marker ~= ((#KEYS == 3) and KEYS[3] or '') then
		return -1
	end
end
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
	return 0
end
redis.call('HDEL', KEYS[2], ARGV[1])
if #KEYS == 3 and redis.call('GET', KEYS[3]) == ARGV[2] then
	redis.call('DEL', KEYS[3])
end
return 1
