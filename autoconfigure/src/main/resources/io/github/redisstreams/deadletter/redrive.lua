-- Move one dead letter back to its stream: add its producer fields as a new entry and
-- delete the dead letter, atomically, so that a redrive repeated after a crash or by the
-- caller finds nothing left to do.
-- KEYS[1] dead-letter stream, KEYS[2] stream
-- ARGV[1] dead-letter id, ARGV[2] reason field name, ARGV[3] the payload-lost reason,
-- ARGV[4] redriven-from field name, ARGV[5] most field-value arguments a script may pass
-- to XADD, ARGV[6..] reserved field names, which are not copied
-- Reply: {0} not found, {1, new id} redriven, {2, why} skipped, {3} too wide for a script
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #entries == 0 then
	return {0}
end
local reserved = {}
for i = 6, #ARGV do
	reserved[ARGV[i]] = true
end
local fields = entries[1][2]
local original = {}
local reason = ''
for i = 1, #fields, 2 do
	local name = fields[i]
	if name == ARGV[2] then
		reason = fields[i + 1]
	end
	if not reserved[name] then
		original[#original + 1] = name
		original[#original + 1] = fields[i + 1]
	end
end
if reason == ARGV[3] then
	return {2, reason}
end
if #original == 0 then
	return {2, 'no-fields'}
end
if #original + 2 > tonumber(ARGV[5]) then
	return {3}
end
original[#original + 1] = ARGV[4]
original[#original + 1] = ARGV[1]
local id = redis.call('XADD', KEYS[2], '*', unpack(original))
redis.call('XDEL', KEYS[1], ARGV[1])
return {1, id}
