-- Remove a stream from the streams with delayed messages, unless a publisher scheduled one
-- since the mover saw it: publishers write their time as the score before they schedule,
-- and the mover saw this score before it found the stream's delayed set empty.
-- KEYS[1] the streams with delayed messages; ARGV[1] the stream, ARGV[2] the score seen
-- Reply: 1 if removed, else 0
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
	return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
