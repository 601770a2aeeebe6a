-- Count entries trimmed before a group read them as read, so that Redis reports the group's
-- lag right again: XGROUP SETID to its own last-delivered-id with ENTRIESREAD, only if no
-- consumer read past it meanwhile (which would otherwise move the group back).
-- KEYS[1] stream; ARGV[1] group, ARGV[2] its last-delivered-id, ARGV[3] entries read
-- Reply: 1 if set, 0 if the group moved on
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
	local info = {}
	for i = 1, #g, 2 do
		info[g[i]] = g[i + 1]
	end
	if info['name'] == ARGV[1] then
		if info['last-delivered-id'] ~= ARGV[2] then
			return 0
		end
		redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], ARGV[2], 'ENTRIESREAD', ARGV[3])
		return 1
	end
end
return 0
