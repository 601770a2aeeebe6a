-- Reset the idle time of entries still owned by a consumer (XCLAIM JUSTID: no delivery).
-- KEYS[1] stream; ARGV[1] group, ARGV[2] consumer, ARGV[3..] ids
-- Reply: {number refreshed}
local refreshed = 0
for i = 3, #ARGV do
	local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
	if #p > 0 and p[1][2] == ARGV[2] then
		redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
		refreshed = refreshed + 1
	end
end
return {refreshed}
