-- Ask the server whether the current user may run each command, without running any
-- (redis.acl_check_cmd, Redis 7.0 and later, Valkey).
-- ARGV: for each command, the number of its words, then the words
-- Reply: false where the server cannot tell; else one number per command:
-- 1 allowed, 0 denied, -1 a command the server does not have (or the wrong arity)
if not redis.acl_check_cmd then
	return false
end
local reply = {}
local i = 1
while i <= #ARGV do
	local n = tonumber(ARGV[i])
	local ok, allowed = pcall(redis.acl_check_cmd, unpack(ARGV, i + 1, i + n))
	if not ok then
		reply[#reply + 1] = -1
	elseif allowed then
		reply[#reply + 1] = 1
	else
		reply[#reply + 1] = 0
	end
	i = i + n + 1
end
return reply
