"""The Lua scripts of the ticket lock (bot/stores/redis_lock_store.py), one per step.

Each runs atomically in Redis; time is Redis's own clock (``TIME``), so replicas with
skewed clocks agree on every lease. Per conversation, three keys in one hash slot:

- ``…:next``   the last ticket issued (``INCR``), kept a day: tickets only grow, so a
  ticket number is also a fencing token;
- ``…:queue``  live tickets, a sorted set scored by ticket number (FIFO order);
- ``…:lease``  a hash ticket -> deadline (ms). A waiting ticket renews its deadline at
  each poll, the holder from a heartbeat; a ticket past its deadline (its process was
  killed, or froze longer than its lease) is dropped when it reaches the head.

The head of the queue holds the lock; nobody else can.
"""

from __future__ import annotations

# Drop dead tickets at the head of the queue; ``now`` (ms) and the head (or false) follow.
_PURGE_HEAD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local head = false
while true do
  local first = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not first then break end
  local deadline = tonumber(redis.call('HGET', KEYS[3], first) or '0')
  if deadline > now then head = first break end
  redis.call('ZREM', KEYS[2], first)
  redis.call('HDEL', KEYS[3], first)
end
"""

# KEYS next, queue, lease; ARGV lease_ms, keep_ms. Returns {the new ticket, 1 if it is
# served at once (nobody before it: the usual case, one round trip), else 0}.
ISSUE = (
    _PURGE_HEAD
    + """
local ticket = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, now + tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
if head then return {ticket, 0} end
return {ticket, 1}
"""
)

# KEYS next, queue, lease; ARGV ticket, lease_ms (the holder's if served, else the waiter's).
# Returns 1: served (the lease is now the holder's); 0: still waiting (lease renewed);
# -1: the ticket is gone (it outlived its lease).
TRY_ACQUIRE = (
    _PURGE_HEAD
    + """
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -1 end
redis.call('HSET', KEYS[3], ARGV[1], now + tonumber(ARGV[2]))
if head == ARGV[1] then return 1 end
return 0
"""
)

# KEYS next, queue, lease; ARGV ticket, lease_ms. 1: the lease runs again; 0: lost.
RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local deadline = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if deadline <= now then return 0 end
if redis.call('ZRANGE', KEYS[2], 0, 0)[1] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[3], ARGV[1], now + tonumber(ARGV[2]))
return 1
"""

# KEYS next, queue, lease; ARGV ticket. Removes the ticket; the keys go with the last one.
RELEASE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[2], KEYS[3]) end
return 1
"""

# KEYS next, queue, lease. Drops dead tickets at the head; returns the live count.
PURGE = (
    _PURGE_HEAD
    + """
return redis.call('ZCARD', KEYS[2])
"""
)
