-- Delete a dead-letter stream. KEYS[1] dead-letter stream. Reply: how many it held.
local length = redis.call('XLEN', KEYS[1])
redis.call('DEL', KEYS[1])
return length
