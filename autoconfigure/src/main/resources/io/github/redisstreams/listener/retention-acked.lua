-- Trim a stream with the server's own guarantee (Redis 8.2+): XTRIM ... ACKED deletes only
-- entries that every consumer group has read and acknowledged, so an entry not yet delivered
-- to a group, or pending (waiting for a retry included), stays.
-- KEYS[1] stream
-- ARGV[1] max length, 0 for none; ARGV[2] the id entries older than which are too old, ''
-- for none; ARGV[3] the most held-back entries counted
-- Reply: {entries trimmed, entries the limits would remove that a group still needs}
if redis.call('EXISTS', KEYS[1]) == 0 then
	return {0, 0}
end
local max_length = tonumber(ARGV[1])
local trimmed = 0
if ARGV[2] ~= '' then
	trimmed = trimmed + redis.call('XTRIM', KEYS[1], 'MINID', '=', ARGV[2], 'ACKED')
end
if max_length > 0 then
	trimmed = trimmed + redis.call('XTRIM', KEYS[1], 'MAXLEN', '=', max_length, 'ACKED')
end
local held = 0
if max_length > 0 then
	held = math.max(0, redis.call('XLEN', KEYS[1]) - max_length)
end
if ARGV[2] ~= '' then
	held = math.max(held, #redis.call('XRANGE', KEYS[1], '-', '(' .. ARGV[2], 'COUNT', tonumber(ARGV[3])))
end
return {trimmed, held}
