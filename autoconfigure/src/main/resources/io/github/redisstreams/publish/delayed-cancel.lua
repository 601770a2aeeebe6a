-- Cancel a delayed message that is not due yet (or due but not moved yet).
-- KEYS[1] {stream}:delayed, KEYS[2] {stream}:delayed:messages
-- ARGV[1] member
-- Reply: {1, its marker key or ''} if it was scheduled, {0, ''} if not (moved, cancelled, unknown)
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
	return {0, ''}
end
local packed = redis.call('HGET', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if packed then
	return {1, cmsgpack.unpack(packed)[1]}
end
return {1, ''}
