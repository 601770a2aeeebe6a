-- Trim a stream to its retention limits, never past an entry that a consumer group still
-- needs (not yet delivered to it, or pending, which includes entries waiting for a retry).
-- Only the oldest ARGV[3] entries are looked at per call. Ids are compared as strings of
-- digits (no arithmetic: a sequence may not fit a Lua number).
-- With ARGV[4] = '1' (Redis 8.2+), XDELEX ... ACKED deletes an entry only if every group
-- read and acknowledged it (reply 2 keeps it), so acknowledged entries after a pending one
-- can go; no more are deleted than the length limit asks for. Otherwise the oldest entry
-- any group needs is found (each group's oldest pending entry, or the first after its last
-- delivered one) and XTRIM MINID removes only what is before it.
-- KEYS[1] stream
-- ARGV[1] max length, 0 for none; ARGV[2] the id entries older than which are too old, ''
-- for none; ARGV[3] the most entries looked at (and held-back entries counted) per call;
-- ARGV[4] '1' to use XDELEX ... ACKED
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
local limit = tonumber(ARGV[3])
local max_length = tonumber(ARGV[1])
local too_old = ARGV[2]

-- Redis 8.2+: let the server decide, entry by entry, among the oldest
local function trim_acknowledged()
	local trimmed = 0
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
	local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', limit)
	local next_index = 1
	if too_old ~= '' then
		local chunk = {}
		while next_index <= #oldest and less(oldest[next_index][1], too_old) do
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
	return trimmed
end

-- elsewhere: trim before the oldest entry any group needs
local function trim_before_needed()
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
	local cut = nil
	if too_old ~= '' then
		cut = too_old
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
		return 0
	end
	local bound = after_first(limit)
	if bound ~= nil and less(bound, cut) then
		cut = bound
	end
	if floor ~= nil and less(floor, cut) then
		cut = floor
	end
	return redis.call('XTRIM', KEYS[1], 'MINID', cut)
end

local trimmed
if ARGV[4] == '1' then
	trimmed = trim_acknowledged()
else
	trimmed = trim_before_needed()
end
local held = 0
if max_length > 0 then
	held = math.max(0, redis.call('XLEN', KEYS[1]) - max_length)
end
if too_old ~= '' then
	held = math.max(held, #redis.call('XRANGE', KEYS[1], '-', '(' .. too_old, 'COUNT', limit))
end
return {trimmed, held}
