-- Reset the idle time of entries parked for a retry (XCLAIM ... JUSTID to the parking
-- consumer: not a delivery) once they are idle for longer than a threshold, so that no
-- XREADGROUP ... CLAIM takes one before it is due. Pages through the parking consumer's
-- pending entries with a cursor. An entry whose payload was deleted is left alone: the
-- reclaimer's XAUTOCLAIM reports it, and it is dead-lettered as payload-lost.
-- KEYS[1] stream
-- ARGV[1] group, ARGV[2] parking consumer, ARGV[3] idle threshold in ms (at least 1),
-- ARGV[4] page size
-- Reply: {number refreshed}
local page_size = tonumber(ARGV[4])
local start = '-'
local refreshed = 0
repeat
	local page = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', ARGV[3], start, '+', page_size, ARGV[2])
	local ids = {}
	for _, pending in ipairs(page) do
		if #redis.call('XRANGE', KEYS[1], pending[1], pending[1]) > 0 then
			ids[#ids + 1] = pending[1]
		end
	end
	if #ids > 0 then
		refreshed = refreshed + #ids
		ids[#ids + 1] = 'JUSTID'
		redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(ids))
	end
	if #page > 0 then
		start = '(' .. page[#page][1]
	end
until #page < page_size
return {refreshed}
