-- Trim a stream no further than the oldest entry a consumer group still needs: for each
-- group, its oldest pending entry (waiting for a retry included) or, if none is older, the
-- first entry after its last delivered one. Entries beyond the limits and older than that
-- are removed with XTRIM MINID, at most ARGV[3] per call; the rest is held back. Ids are
-- compared as strings of digits (no arithmetic: a sequence may not fit a Lua number).
-- KEYS[1] stream
-- ARGV[1] max length, 0 for none; ARGV[2] the id entries older than which are too old, ''
-- for none; ARGV[3] the most entries trimmed (and held-back entries counted) per call
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
-- the id of the entry after the first n, or nil when there are no more
local function after_first(n)
	local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', n + 1)
	if #entries > n then
		return entries[n + 1][1]
	end
	return nil
end
local floor = nil
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
	local info = {}
	for i = 1, #group, 2 do
		info[group[i]] = group[i + 1]
	end
	local undelivered = redis.call('XRANGE', KEYS[1], '(' .. info['last-delivered-id'], '+', 'COUNT', 1)
	local needed = nil
	if #undelivered > 0 then
		needed = undelivered[1][1]
	end
	if tonumber(info['pending']) > 0 then
		local oldest = redis.call('XPENDING', KEYS[1], info['name'])[2]
		if oldest and (needed == nil or less(oldest, needed)) then
			needed = oldest
		end
	end
	if needed ~= nil and (floor == nil or less(needed, floor)) then
		floor = needed
	end
end
local limit = tonumber(ARGV[3])
local max_length = tonumber(ARGV[1])
local bound = after_first(limit)
local cut = nil
if ARGV[2] ~= '' then
	cut = ARGV[2]
end
if max_length > 0 then
	local excess = redis.call('XLEN', KEYS[1]) - max_length
	if excess > 0 then
		local by_length = after_first(math.min(excess, limit))
		if by_length and (cut == nil or less(cut, by_length)) then
			cut = by_length
		end
	end
end
if cut == nil then
	return {0, 0}
end
if bound ~= nil and less(bound, cut) then
	cut = bound
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
