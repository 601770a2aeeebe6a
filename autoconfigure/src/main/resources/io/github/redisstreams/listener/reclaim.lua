-- Claim entries idle for longer than the minimum idle time, one step of the XAUTOCLAIM
-- cursor. An entry in the retry schedule goes back to the parking consumer; any other is
-- claimed to the claimer with a counting XCLAIM.
-- KEYS[1] stream, KEYS[2] retry schedule
-- ARGV[1] group, ARGV[2] claimer, ARGV[3] min idle ms, ARGV[4] cursor, ARGV[5] count,
-- ARGV[6] parking consumer
-- Reply: {next cursor, entries, delivery counts, lost ids, ids deleted from the stream}
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5], 'JUSTID')
local deleted = r[3] or {}
for _, id in ipairs(deleted) do
	redis.call('ZREM', KEYS[2], id)
end
local entries, counts, lost = {}, {}, {}
for _, id in ipairs(r[2]) do
	if redis.call('ZSCORE', KEYS[2], id) then
		redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[6], 0, id, 'JUSTID')
	else
		local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id)
		if claimed[1] then
			entries[#entries + 1] = claimed[1]
			counts[#counts + 1] = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)[1][4]
		else
			lost[#lost + 1] = id
		end
	end
end
return {r[1], entries, counts, lost, deleted}
