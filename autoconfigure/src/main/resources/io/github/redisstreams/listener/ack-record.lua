-- Acknowledge entries and record the idempotency keys of those an idempotent listener
-- processed, in one script: a key is recorded exactly when its entry is acknowledged.
-- KEYS[1] stream, KEYS[2..n+1] the processed-key of each keyed entry
-- ARGV[1] group, ARGV[2] the keys' time to live in ms, ARGV[3] n, ARGV[4..n+3] the keyed
-- entries' ids (in the order of their keys), ARGV[n+4..] the other ids
-- Reply: {the number of entries acknowledged (XACK's count)}
local n = tonumber(ARGV[3])
local acknowledged = 0
local ids = {}
for i = 4, #ARGV do
	ids[#ids + 1] = ARGV[i]
	if #ids == 500 then
		acknowledged = acknowledged + redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
		ids = {}
	end
end
if #ids > 0 then
	acknowledged = acknowledged + redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
end
for i = 1, n do
	redis.call('SET', KEYS[i + 1], ARGV[i + 3], 'PX', ARGV[2])
end
return {acknowledged}
