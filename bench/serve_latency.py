#!/usr/bin/env python3
"""Usage: serve_latency.py --strata PATH [--facts 10000,100000,1000000]
                          [--writes W] [--reads R] [--quiet]

Per-request latency of `strata serve` writes as the state grows (issue 15,
item 4): a write must cost in proportion to the change, not to the state.

For each size N: writes a state file holding N facts of `item(id: int,
name: string)` (in the state file format, so no request builds it), starts
`strata serve --state FILE` on a free loopback port, and from one WebSocket
connection (the client of test/Exec/Inputs/ws-client.py) sends W requests
each inserting one new fact, then R read-only `.kg list` requests, timing
each request from send to reply. Then stops the server with SIGTERM, which
folds the journal into the state file, and checks that a fresh `strata
exec` finds N + W facts.

Prints per size: the server's start-up (loading the state), write latency
(mean, p50, p99, max), `.kg list` latency (p50) and the clean stop; then the
ratio of each size's write p50 and mean to the smallest size's; then how
the server's own CPU time (from /proc, which the machine's load inflates
less than latency) and peak resident memory grow with the state: for the
start-up, per write (the writes' total over W) and for the clean stop,
as exponents (bench/growth.py). Nothing is asserted: the figures depend
on the machine (docs/performance.md has them).
"""
import argparse
import hashlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from growth import growth_table, process_cpu_s, process_memory  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WS_CLIENT = os.path.join(HERE, "..", "test", "Exec", "Inputs", "ws-client.py")


def load_ws_client():
    sys.dont_write_bytecode = True  # no __pycache__ beside the test inputs
    spec = importlib.util.spec_from_file_location("ws_client", WS_CLIENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_state(path, facts):
    """A state file (docs/engine.md) holding `facts` facts of item."""
    lines = ["graph default", "schema +item(id: int, name: string)"]
    lines += [f'fact +item({i}, "n{i}")' for i in range(facts)]
    body = ("\n".join(lines) + "\n").encode()
    header = (f"STRATA-ENGINE-STATE 1\nlength {len(body)}\n"
              f"sha256 {hashlib.sha256(body).hexdigest()}\n\n").encode()
    with open(path, "wb") as f:
        f.write(header + body)


def request(conn, program, request_id):
    """One `execute`, its reply frames read to the end; the first frame of
    the reply."""
    conn.send(0x1, json.dumps({"type": "execute", "id": request_id,
                               "program": program}).encode())
    first = None
    while True:
        msg = conn.message()
        if isinstance(msg, tuple):
            raise SystemExit(f"connection ended: {msg}")
        frame = json.loads(msg)
        if frame.get("id") != request_id:
            # A push (the change notification a write sends every session
            # first) carries no id: taking it for the reply put the client
            # one reply behind and closed the connection on requests still
            # running.
            continue
        first = first or frame
        if frame.get("type") == "error":
            raise SystemExit(f"error reply to {program}: {frame}")
        if frame.get("type") not in ("result_start", "result_chunk"):
            return first


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100.0 * len(ordered)))]


def count_items(strata, state):
    """The facts of item in the state (and journal) a fresh process reads."""
    done = subprocess.run([strata, "exec", "--target", f"file:{state}", "-e", ".rel"],
                          capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.strip().startswith("item ") and "tuples: " in line:
            return int(line.rsplit("tuples: ", 1)[1].rstrip(")"))
    raise SystemExit(f"cannot count the facts of {state}: {done.stdout}{done.stderr}")


def measure(args, ws, workdir, facts):
    state = os.path.join(workdir, f"state-{facts}.kg")
    write_state(state, facts)
    started = time.monotonic()
    server = subprocess.Popen([args.strata, "serve", "--host", "127.0.0.1", "--port", "0",
                               "--state", state],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        if "listening on" not in line:
            raise SystemExit(f"strata serve did not start: {line}{server.stderr.read()}")
        startup = time.monotonic() - started
        cpu = {"start": process_cpu_s(server.pid)}
        rss = {"start": process_memory(server.pid)}
        conn = ws.Conn(int(line.strip().rsplit(":", 1)[1]), "/ws")
        writes, reads = [], []
        for i in range(args.writes):
            t = time.monotonic()
            request(conn, f'+item({facts + i}, "w{i}")', f"w{i}")
            writes.append((time.monotonic() - t) * 1000)
        for i in range(args.reads):
            t = time.monotonic()
            request(conn, ".kg list", f"r{i}")
            reads.append((time.monotonic() - t) * 1000)
        conn.sock.close()
        cpu["write"] = (process_cpu_s(server.pid) - cpu["start"]) / max(1, args.writes)
        rss["write"] = process_memory(server.pid)
        before_stop = process_cpu_s(server.pid)
        t = time.monotonic()
        server.send_signal(signal.SIGTERM)
        _, _, usage = os.wait4(server.pid, 0)
        server.returncode = 0
        stop = time.monotonic() - t
        cpu["stop"] = usage.ru_utime + usage.ru_stime - before_stop
        rss["stop"] = usage.ru_maxrss * 1024
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    stored = count_items(args.strata, state)
    if stored != facts + args.writes:
        raise SystemExit(f"{facts}: expected {facts + args.writes} facts, found {stored}")
    for suffix in ("", ".journal", ".lock"):
        if os.path.exists(state + suffix):
            os.remove(state + suffix)
    return {"facts": facts, "startup": startup, "writes": writes, "reads": reads, "stop": stop,
            "cpu": cpu, "rss": rss}


def print_growth(results):
    names = {"start": "start (load the state)",
             "write": "one write (server CPU: the W writes' total / W)",
             "stop": "clean stop (fold the journal in)"}
    print("\n| facts | " + " | ".join(names.values()) + " |")
    print("| --- " * (len(names) + 1) + "|")
    for r in results:
        print(f"| {r['facts']:,} | " + " | ".join(
            f"{r['cpu'][k] * (1000 if k == 'write' else 1):.3f} {'ms' if k == 'write' else 's'}, "
            f"{r['rss'][k] / 2**20:.0f} MB" for k in names) + " |")
    series = {names[k]: [(r["facts"], r["cpu"][k], r["rss"][k]) for r in results] for k in names}
    print("\n" + "\n".join(growth_table(series, "facts")) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--strata", required=True)
    parser.add_argument("--facts", default="10000,100000,1000000")
    parser.add_argument("--writes", type=int, default=500)
    parser.add_argument("--reads", type=int, default=50)
    parser.add_argument("--quiet", action="store_true", help="print only the check")
    args = parser.parse_args()
    ws = load_ws_client()
    results = []
    with tempfile.TemporaryDirectory(prefix="strata-latency-") as workdir:
        for n in [int(x) for x in args.facts.split(",")]:
            r = measure(args, ws, workdir, n)
            results.append(r)
            if args.quiet:
                continue
            w = r["writes"]
            print(f"{n:>9} facts: start {r['startup']:.2f} s; write mean {sum(w) / len(w):.2f} ms, "
                  f"p50 {percentile(w, 50):.2f}, p99 {percentile(w, 99):.2f}, "
                  f"max {max(w):.2f} ms; .kg list p50 "
                  f"{percentile(r['reads'], 50) if r['reads'] else float('nan'):.2f} ms; "
                  f"clean stop {r['stop']:.2f} s", flush=True)
    base = results[0]["writes"]
    for r in results[1:]:
        w = r["writes"]
        if not args.quiet:
            print(f"{r['facts']:>9} facts / {results[0]['facts']}: write p50 x"
                  f"{percentile(w, 50) / percentile(base, 50):.2f}, mean x"
                  f"{(sum(w) / len(w)) / (sum(base) / len(base)):.2f}")
    if not args.quiet and len(results) > 1:
        print_growth(results)
    print(f"all {sum(len(r['writes']) for r in results)} writes stored")
    return 0


if __name__ == "__main__":
    sys.exit(main())
