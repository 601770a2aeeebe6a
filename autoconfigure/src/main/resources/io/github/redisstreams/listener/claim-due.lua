-- Claim the entries whose retry is due to a consumer: one ZREM, one XPENDING per entry
-- (is it still pending, with which count), then one counting XCLAIM per 500 entries. An
-- entry the XCLAIM does not return was deleted from the stream (nil on 6.2, omitted on
-- 7.x).
-- KEYS[1] stream, KEYS[2] retry schedule
-- ARGV[1] group, ARGV[2] consumer, ARGV[3] most entries to claim, ARGV[4] the application's
-- clock in ms (no TIME: the user needs no +time)
-- Reply: {entries, delivery counts, lost ids, ms until the next is due or -1}
local now = tonumber(ARGV[4])
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local entries, counts, lost = {}, {}, {}
if #due > 0 then
	for i = 1, #due, 500 do
		redis.call('ZREM', KEYS[2], unpack(due, i, math.min(i + 499, #due)))
	end
	local ids, before = {}, {}
	for _, id in ipairs(due) do
		local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
		if #p > 0 then
			ids[#ids + 1] = id
			before[id] = p[1][4]
		end
	end
	for i = 1, #ids, 500 do
		local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(ids, i, math.min(i + 499, #ids)))
		local got = {}
		for _, entry in ipairs(claimed) do
			if entry then
				got[entry[1]] = entry
			end
		end
		for j = i, math.min(i + 499, #ids) do
			local id = ids[j]
			if got[id] then
				entries[#entries + 1] = got[id]
				counts[#counts + 1] = before[id] + 1
			else
				lost[#lost + 1] = id
			end
		end
	end
end
local wait = -1
local nxt = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #nxt > 0 then
	wait = math.max(0, tonumber(nxt[2]) - now)
end
return {entries, counts, lost, wait}
