#!/usr/bin/python3
"""An independent client for the kill-mid-write test (Debian's python3-redis, not the agent's
RESP code): INCR counter, then WAIT on the same connection (WAIT only waits for the writes of
its own connection), and print each value every replica acknowledged, one per line, until the
server goes away.

  counter-writer.py SOCKET REPLICAS [PASSWORD]
"""
import sys

import redis


def main():
    socket, replicas = sys.argv[1], int(sys.argv[2])
    password = sys.argv[3] if len(sys.argv) > 3 else None
    conn = redis.Redis(unix_socket_path=socket, password=password, socket_timeout=5)
    try:
        while True:
            value = conn.incr("counter")
            if conn.wait(replicas, 1000) >= replicas:
                print(value, flush=True)
    except (redis.RedisError, OSError):
        return 0


sys.exit(main())
