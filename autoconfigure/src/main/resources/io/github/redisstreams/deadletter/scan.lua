-- One slice of a dead-letter stream, oldest first, reduced to ids and reasons, so that
-- counting or selecting by reason neither blocks Redis long nor sends payloads.
-- KEYS[1] dead-letter stream; ARGV[1] '-' or '(' followed by an id, ARGV[2] count,
-- ARGV[3] reason field name
-- Reply: {id, reason, id, reason, ...} ('' for a dead letter without a reason)
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
local reply = {}
for _, entry in ipairs(entries) do
	local reason = ''
	local fields = entry[2]
	for i = 1, #fields, 2 do
		if fields[i] == ARGV[3] then
			reason = fields[i + 1]
		end
	end
	reply[#reply + 1] = entry[1]
	reply[#reply + 1] = reason
end
return reply
