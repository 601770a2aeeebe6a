-- Trim a stream with the server's own guarantee (Redis 8.2+): XDELEX ... ACKED deletes an
-- entry only if every consumer group has read and acknowledged it, so an entry not yet
-- delivered to a group, or pending (waiting for a retry included), stays (reply 2), while
-- acknowledged entries after it can go. Only the oldest ARGV[3] entries are looked at per
-- call, and no more are deleted than the length limit asks for. Ids are compared as
-- strings of digits (no arithmetic: a sequence may not fit a Lua number).
-- KEYS[1] stream
-- ARGV[1] max length, 0 for none; ARGV[2] the id entries older than which are too old, ''
-- for none; ARGV[3] the most entries looked at (and held-back entries counted) per call
-- Reply: {entries trimmed, entries the limits would remove that a group still needs}
if redis.call('EXISTS', KEYS[1]) == 0 then
	return {0, 0}
end
local function digits_less(a, b)
	if #a ~= #b then
		return #a < #b
	end
	return a < b
end
local function less(a, b)
	local a_dash, b_dash = string.find(a, '-', 1, true), string.find(b, '-', 1, true)
	local a_ms, b_ms = string.sub(a, 1, a_dash - 1), string.sub(b, 1, b_dash - 1)
	if a_ms ~= b_ms then
		return digits_less(a_ms, b_ms)
	end
	return digits_less(string.sub(a, a_dash + 1), string.sub(b, b_dash + 1))
end
local trimmed = 0
-- delete the acknowledged ones of ids (at most 500), return how many went
local function delete_acked(ids)
	local gone = 0
	for _, code in ipairs(redis.call('XDELEX', KEYS[1], 'ACKED', 'IDS', #ids, unpack(ids))) do
		if code == 1 then
			gone = gone + 1
		end
	end
	trimmed = trimmed + gone
	return gone
end
local limit = tonumber(ARGV[3])
local max_length = tonumber(ARGV[1])
local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', limit)
local next_index = 1
if ARGV[2] ~= '' then
	local chunk = {}
	while next_index <= #oldest and less(oldest[next_index][1], ARGV[2]) do
		chunk[#chunk + 1] = oldest[next_index][1]
		next_index = next_index + 1
		if #chunk == 500 then
			delete_acked(chunk)
			chunk = {}
		end
	end
	if #chunk > 0 then
		delete_acked(chunk)
	end
end
if max_length > 0 then
	local excess = redis.call('XLEN', KEYS[1]) - max_length
	while excess > 0 and next_index <= #oldest do
		local chunk = {}
		while #chunk < math.min(excess, 500) and next_index <= #oldest do
			chunk[#chunk + 1] = oldest[next_index][1]
			next_index = next_index + 1
		end
		excess = excess - delete_acked(chunk)
	end
end
local held = 0
if max_length > 0 then
	held = math.max(0, redis.call('XLEN', KEYS[1]) - max_length)
end
if ARGV[2] ~= '' then
	held = math.max(held, #redis.call('XRANGE', KEYS[1], '-', '(' .. ARGV[2], 'COUNT', limit))
end
return {trimmed, held}
