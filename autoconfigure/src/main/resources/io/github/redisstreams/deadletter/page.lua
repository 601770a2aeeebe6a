-- A page of dead letters, newest first, and the size of the dead-letter stream.
-- KEYS[1] dead-letter stream; ARGV[1] '+' or '(' followed by an id, ARGV[2] count
-- Reply: {size, {{id, {name, value, ...}}, ...}}
return {redis.call('XLEN', KEYS[1]), redis.call('XREVRANGE', KEYS[1], ARGV[1], '-', 'COUNT', ARGV[2])}
