-- Remove consumers with nothing pending, idle for longer than a threshold ('inactive'
-- since Redis 7.2, else 'idle').
-- KEYS[1] stream; ARGV[1] group, ARGV[2] idle threshold ms, ARGV[3..] protected names
-- Reply: the names removed
local protected = {}
for i = 3, #ARGV do
	protected[ARGV[i]] = true
end
local removed = {}
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
	local info = {}
	for i = 1, #c, 2 do
		info[c[i]] = c[i + 1]
	end
	local idle = tonumber(info['inactive'])
	if idle == nil or idle < 0 then
		idle = tonumber(info['idle'])
	end
	if not protected[info['name']] and tonumber(info['pending']) == 0 and idle > tonumber(ARGV[2]) then
		redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
		removed[#removed + 1] = info['name']
	end
end
return removed
