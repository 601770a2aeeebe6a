-- Trim a stream no further than the oldest entry a consumer group still needs: for each
-- group, its oldest pending entry (waiting for a retry included) or, if none is older, the
-- first entry after its last delivered one. Entries beyond the limits and older than that
-- are removed with XTRIM MINID; the rest is held back.
-- KEYS[1] stream
-- ARGV[1] max length, 0 for none; ARGV[2] the id entries older than which are too old, ''
-- for none; ARGV[3] the most entries trimmed (and held-back entries counted) per call
-- Reply: {entries trimmed, entries the limits would remove that a group still needs}
if redis.call('EXISTS', KEYS[1]) == 0 then
	return {0, 0}
end
local function parse(id)
	local dash = string.find(id, '-', 1, true)
	return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end
local function less(a, b)
	local a_ms, a_seq = parse(a)
	local b_ms, b_seq = parse(b)
	return a_ms < b_ms or (a_ms == b_ms and a_seq < b_seq)
end
local function after(id)
	local ms, seq = parse(id)
	return string.format('%.0f-%.0f', ms, seq + 1)
end
local floor = nil
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
	local info = {}
	for i = 1, #group, 2 do
		info[group[i]] = group[i + 1]
	end
	local needed = after(info['last-delivered-id'])
	if tonumber(info['pending']) > 0 then
		local oldest = redis.call('XPENDING', KEYS[1], info['name'])[2]
		if oldest and less(oldest, needed) then
			needed = oldest
		end
	end
	if floor == nil or less(needed, floor) then
		floor = needed
	end
end
local limit = tonumber(ARGV[3])
local max_length = tonumber(ARGV[1])
local cut = nil
if ARGV[2] ~= '' then
	cut = ARGV[2]
end
if max_length > 0 then
	local excess = redis.call('XLEN', KEYS[1]) - max_length
	if excess > 0 then
		local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', math.min(excess, limit))
		local by_length = after(oldest[#oldest][1])
		if cut == nil or less(cut, by_length) then
			cut = by_length
		end
	end
end
if cut == nil then
	return {0, 0}
end
if floor ~= nil and less(floor, cut) then
	cut = floor
end
local trimmed = redis.call('XTRIM', KEYS[1], 'MINID', cut)
local held = 0
if max_length > 0 then
	held = math.max(0, redis.call('XLEN', KEYS[1]) - max_length)
end
if ARGV[2] ~= '' then
	held = math.max(held, #redis.call('XRANGE', KEYS[1], '-', '(' .. ARGV[2], 'COUNT', limit))
end
return {trimmed, held}
