-- Read the marker key a delayed message was scheduled with, for its cancel to declare.
-- KEYS[1] {stream}:delayed:messages; ARGV[1] member
-- Reply: the marker key, '' without one, or false if the message is not scheduled
local packed = redis.call('HGET', KEYS[1], ARGV[1])
if not packed then
	return false
end
return cmsgpack.unpack(packed)[1]
