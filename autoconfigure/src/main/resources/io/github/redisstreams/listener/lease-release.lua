-- Give an instance-id lease up if it is ours. KEYS[1] lease key; ARGV[1] token.
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('DEL', KEYS[1])
end
return {1}
