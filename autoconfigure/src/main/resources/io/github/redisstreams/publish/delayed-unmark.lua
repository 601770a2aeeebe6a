-- Free the idempotency key of a cancelled delayed message: delete its marker key if it still
-- holds that message's schedule id (not a later publication's id).
-- KEYS[1] the marker key; ARGV[1] the schedule id
-- Reply: 1 if deleted, else 0
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
