-- Add a dead letter and acknowledge the original, if it is still pending.
-- KEYS[1] dead-letter stream, KEYS[2] stream
-- ARGV[1] group, ARGV[2] entry id, ARGV[3] 1 to skip the pending check (payload lost),
-- ARGV[4] maximum length of the dead-letter stream (0: none), ARGV[5..] field-value pairs
-- Reply: {written (0 or 1), dead-letter id or false, dead letters trimmed away}
if ARGV[3] ~= '1' then
	local pending = redis.call('XPENDING', KEYS[2], ARGV[1], ARGV[2], ARGV[2], 1)
	if #pending == 0 then
		return {0, false, 0}
	end
end
local id
local dropped = 0
local maxlen = tonumber(ARGV[4])
if maxlen > 0 then
	local before = redis.call('XLEN', KEYS[1])
	id = redis.call('XADD', KEYS[1], 'MAXLEN', '=', maxlen, '*', unpack(ARGV, 5))
	dropped = before + 1 - redis.call('XLEN', KEYS[1])
else
	id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 5))
end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
return {1, id, dropped}
