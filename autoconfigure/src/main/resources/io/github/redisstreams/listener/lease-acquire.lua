-- Take or renew an instance-id lease: set it when free or ours.
-- KEYS[1] lease key; ARGV[1] token, ARGV[2] time to live in ms. Reply: {1} taken, {0} not
local current = redis.call('GET', KEYS[1])
if (not current) or current == ARGV[1] then
	redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
	return {1}
end
return {0}
