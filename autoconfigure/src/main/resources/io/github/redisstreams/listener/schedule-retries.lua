-- Park failed entries: each one still owned by its expected owner moves to the parking
-- consumer (XCLAIM JUSTID, not a delivery) and gets its due time in the retry schedule.
-- KEYS[1] stream, KEYS[2] retry schedule
-- ARGV[1] group, ARGV[2] parking consumer, ARGV[3] the application's clock in ms (no TIME:
-- the user needs no +time), then for each entry: id, delay in ms, owner, attempts made (the
-- consumer retried it in memory: its delivery count is set to them when Redis counted fewer)
-- Reply: {number parked}
local now = tonumber(ARGV[3])
local parked = 0
local claim, zadd = {}, {}
local function flush()
	if #claim > 0 then
		redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(claim))
		redis.call('ZADD', KEYS[2], unpack(zadd))
		parked = parked + #claim - 1
		claim, zadd = {}, {}
	end
end
local recount = {}
for i = 4, #ARGV, 4 do
	local id = ARGV[i]
	local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
	if #p > 0 and p[1][2] == ARGV[i + 2] then
		if #claim == 0 then
			claim[1] = 'JUSTID'
		end
		table.insert(claim, #claim, id)
		zadd[#zadd + 1] = now + tonumber(ARGV[i + 1])
		zadd[#zadd + 1] = id
		local attempts = tonumber(ARGV[i + 3])
		if attempts > tonumber(p[1][4]) then
			recount[#recount + 1] = {id, attempts}
		end
		if #claim > 500 then
			flush()
		end
	end
end
flush()
for _, r in ipairs(recount) do
	redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, r[1], 'RETRYCOUNT', r[2], 'JUSTID')
end
return {parked}
