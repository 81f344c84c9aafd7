#!/usr/bin/python3
"""The application of the failover tests: an independent Redis client (Debian's python3-redis, not
the agent's own protocol code) that writes through the faults and counts a write as acknowledged
only once WAIT 1 confirms a replica has it.

  writer.py write CONFIG-JSON   SET k<i> <i> + WAIT 1 to the current primary until DIR/stop exists;
                                one line per acknowledged key in DIR/acks.txt ("k17 <epoch ms>");
                                prints {"attempted", "acknowledged", "failed"}
  writer.py check CONFIG-JSON   are the acknowledged keys on "primary" with their values? prints a KeyCheck

CONFIG: {"nodes": [{"name", "host"}...], "port", "password", "dir", "primary"?, "faultAt"?}
"""
import json
import os
import sys
import time

import redis

WAIT_MS = 500
PAUSE_S = 0.02
DISCOVER_EVERY_S = 0.25
ACKS = "acks.txt"
STOP = "stop"


def client(config, host, timeout):
    return redis.Redis(host=host, port=config["port"], password=config["password"],
                       socket_timeout=timeout, socket_connect_timeout=timeout)


def discover(config):
    """The primary to write to: a reachable master, the one with most connected replicas."""
    best, best_replicas = None, -1
    for node in config["nodes"]:
        try:
            info = client(config, node["host"], 0.3).info("replication")
        except redis.RedisError:
            continue
        if info.get("role") == "master" and info.get("connected_slaves", 0) > best_replicas:
            best, best_replicas = node["host"], info.get("connected_slaves", 0)
    return best


def write(config):
    acks = open(os.path.join(config["dir"], ACKS), "a", buffering=1)
    stop = os.path.join(config["dir"], STOP)
    attempted = acknowledged = failed = 0
    primary, conn, discovered_at = None, None, 0.0
    while not os.path.exists(stop):
        now = time.monotonic()
        if primary is None or now - discovered_at >= DISCOVER_EVERY_S:
            found = discover(config)
            discovered_at = now
            if found != primary:
                primary, conn = found, (client(config, found, 2.5) if found else None)
        if conn is None:
            time.sleep(PAUSE_S)
            continue
        attempted += 1
        key = "k%d" % attempted
        try:
            pipe = conn.pipeline(transaction=False)
            pipe.set(key, str(attempted))
            pipe.execute_command("WAIT", 1, WAIT_MS)
            _, replicas = pipe.execute()
            if isinstance(replicas, int) and replicas >= 1:
                acks.write("%s %d\n" % (key, int(time.time() * 1000)))
                acknowledged += 1
        except redis.RedisError:
            failed += 1
            primary, conn = None, None
        time.sleep(PAUSE_S)
    acks.close()
    return {"attempted": attempted, "acknowledged": acknowledged, "failed": failed}


def check(config):
    try:
        lines = open(os.path.join(config["dir"], ACKS)).read().split("\n")
    except FileNotFoundError:
        lines = []
    acks = [line.split(" ") for line in lines if line]
    keys = [key for key, _ in acks]
    fault = config.get("faultAt")
    before = {key for key, at in acks if fault is not None and int(at) < fault}
    conn = client(config, config["primary"], 5)
    missing = []
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        for key, value in zip(chunk, conn.mget(chunk)):
            if value is None or value.decode() != key[1:]:
                missing.append(key)
    return {
        "acknowledged": len(keys),
        "missing": len(missing),
        "acknowledgedBeforeFault": len(before),
        "missingBeforeFault": len([k for k in missing if k in before]),
        "examples": missing[:5],
    }


if __name__ == "__main__":
    mode, config = sys.argv[1], json.loads(sys.argv[2])
    result = write(config) if mode == "write" else check(config) if mode == "check" else None
    if result is None:
        sys.exit("unknown mode %s: write or check" % mode)
    print(json.dumps(result))
