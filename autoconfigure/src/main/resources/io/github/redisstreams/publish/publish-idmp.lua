-- Publish at most once per idempotency key with the server's own deduplication, XADD ...
-- IDMP producer-id idempotent-id (Redis 8.6+). The stream's IDMP window and size are set
-- with XCFGSET only while no producer's ids are remembered (a change clears them all), so
-- this never forgets another publisher's keys; the stream's actual window is returned. A
-- marker key from the fallback path counts as a publication too. A duplicate is recognized
-- by its id: not after the stream's last generated id.
-- KEYS[1] stream, KEYS[2] the fallback path's marker key
-- ARGV[1] producer id, ARGV[2] idempotent id, ARGV[3] window in s (1..86400),
-- ARGV[4] most ids remembered (1..10000), ARGV[5..] field, value, ...
-- Reply: {entry id, 1 if a duplicate (nothing added) else 0, the stream's window in s,
-- the most ids it remembers}
local first = redis.call('GET', KEYS[2])
if first then
	return {first, 1, -1, -1}
end
-- before anything is written: a server without IDMP does not know XCFGSET either
local probe = redis.pcall('XCFGSET', KEYS[1])
if type(probe) == 'table' and probe.err and string.find(string.lower(probe.err), 'unknown', 1, true) then
	return redis.error_reply('ERR unknown command XCFGSET: this server has no XADD ... IDMP')
end
-- before anything is written: a user not granted a command below is told which (a group
-- left behind by a refused XGROUP DESTROY would hold back the stream's retention)
local function check(...)
	if not redis.acl_check_cmd then
		return nil
	end
	local missing = {}
	for _, command in ipairs({...}) do
		local ok, allowed = pcall(redis.acl_check_cmd, unpack(command, 2))
		if ok and not allowed then
			missing[#missing + 1] = command[1]
		end
	end
	if #missing > 0 then
		return redis.error_reply('NOPERM the user may not run XADD ... IDMP on ' .. KEYS[1] .. ': it lacks '
			.. table.concat(missing, ' '))
	end
	return nil
end
local refused = check({'+xinfo|stream', 'XINFO', 'STREAM', KEYS[1]},
	{'+xcfgset', 'XCFGSET', KEYS[1], 'IDMP-DURATION', ARGV[3], 'IDMP-MAXSIZE', ARGV[4]},
	{'+xadd', 'XADD', KEYS[1], 'IDMP', ARGV[1], ARGV[2], '*', 'f', 'v'})
if refused then
	return refused
end
local reply = redis.pcall('XINFO', 'STREAM', KEYS[1])
if reply.err then
	if not string.find(string.lower(reply.err), 'no such key', 1, true) then
		return reply
	end
	-- XCFGSET needs the stream: create it empty
	refused = check({'+xgroup|create', 'XGROUP', 'CREATE', KEYS[1], 'redis-streams:idmp-init', '$', 'MKSTREAM'},
		{'+xgroup|destroy', 'XGROUP', 'DESTROY', KEYS[1], 'redis-streams:idmp-init'})
	if refused then
		return refused
	end
	redis.call('XGROUP', 'CREATE', KEYS[1], 'redis-streams:idmp-init', '$', 'MKSTREAM')
	redis.call('XGROUP', 'DESTROY', KEYS[1], 'redis-streams:idmp-init')
	reply = redis.call('XINFO', 'STREAM', KEYS[1])
end
local info = {}
for i = 1, #reply, 2 do
	info[reply[i]] = reply[i + 1]
end
local duration, size = tonumber(info['idmp-duration']), tonumber(info['idmp-maxsize'])
if (duration ~= tonumber(ARGV[3]) or size ~= tonumber(ARGV[4])) and tonumber(info['pids-tracked']) == 0 then
	redis.call('XCFGSET', KEYS[1], 'IDMP-DURATION', ARGV[3], 'IDMP-MAXSIZE', ARGV[4])
	duration, size = tonumber(ARGV[3]), tonumber(ARGV[4])
end
local last = info['last-generated-id']
local id = redis.call('XADD', KEYS[1], 'IDMP', ARGV[1], ARGV[2], '*', unpack(ARGV, 5))
local function parse(value)
	local dash = string.find(value, '-', 1, true)
	return tonumber(string.sub(value, 1, dash - 1)), tonumber(string.sub(value, dash + 1))
end
local ms, seq = parse(id)
local last_ms, last_seq = parse(last)
local duplicate = ms < last_ms or (ms == last_ms and seq <= last_seq)
return {id, duplicate and 1 or 0, duration, size}
