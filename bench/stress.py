#!/usr/bin/env python3
"""Usage: stress.py --strata PATH [--clients M] [--seconds T] [--targets serve,file]
                   [--read-every K] [--kill-under-load] [--quiet]

Concurrent clients writing and reading through Strata for T seconds, then a
check that every write a client saw acknowledged is there (issue 14, item 6).

serve  starts `strata serve` on a free loopback port with a password from
       the environment (never argv); M clients, each its own WebSocket
       connection (the protocol client of test/Exec/Inputs/ws-client.py),
       log in and loop: insert `stress(CLIENT, SEQ)`, and every K-th step
       read one of their acknowledged facts back. When time is up the
       server is killed with SIGKILL, not stopped: the check reads the
       state file (and its journal) it left, so an acknowledged write must
       have been saved before its reply. With --kill-under-load the kill
       comes while the clients are still writing (a request may be running,
       or its record half written); requests cut off by it count as not
       acknowledged, and the clients stop.
file   M clients, each a loop of `strata exec --target file:PATH` processes
       doing the same; a writer that finds the state file locked by another
       retries (each try counts towards that write's latency).

Prints, per target: acknowledged writes, reads, operations per second and
the p50/p99 latency of writes and reads (for serve also the server's own
CPU time per operation and its peak resident memory, from /proc, unless
it was killed under load), then `all N acknowledged writes
present` or the missing ones (exit status 1). No figure is checked: the
machine decides them. `--quiet` prints only the verdicts (for lit).
"""
import argparse
import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from growth import process_cpu_s, process_memory  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WS_CLIENT = os.path.join(HERE, "..", "test", "Exec", "Inputs", "ws-client.py")


def load_ws_client():
    sys.dont_write_bytecode = True  # no __pycache__ beside the test inputs
    spec = importlib.util.spec_from_file_location("ws_client", WS_CLIENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Tally:
    """What the clients did, shared between their threads."""

    def __init__(self):
        self.killed = threading.Event()  # the server was killed on purpose
        self.lock = threading.Lock()
        self.acked = set()
        self.write_ms, self.read_ms = [], []
        self.errors = []
        self.server = None  # serve: the server's CPU seconds and peak RSS bytes

    def write(self, client, seq, ms):
        with self.lock:
            self.acked.add((client, seq))
            self.write_ms.append(ms)

    def read(self, ms):
        with self.lock:
            self.read_ms.append(ms)

    def error(self, text):
        with self.lock:
            if len(self.errors) < 20:
                self.errors.append(text)


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100.0 * len(ordered)))]


def acknowledged(message):
    return any("Inserted 1 fact(s)" in str(cell) for row in message.get("rows", []) for cell in row)


# -- strata serve ------------------------------------------------------------


def ws_request(ws, conn, program, request_id):
    """Sends one `execute` and returns its reply frames merged into one."""
    conn.send(0x1, json.dumps({"type": "execute", "id": request_id,
                               "program": program}).encode())
    rows, reply = [], None
    while True:
        msg = conn.message()
        if isinstance(msg, tuple):
            raise EOFError(f"connection ended: {msg}")
        frame = json.loads(msg)
        if frame.get("id") != request_id:
            continue  # a push (change notification): never carries an id
        rows.extend(frame.get("rows", []))
        if frame.get("type") not in ("result_start", "result_chunk"):
            reply = frame
            break
    reply["rows"] = rows
    return reply


def serve_client(ws, port, password, client, deadline, read_every, tally):
    conn = ws.Conn(port, "/ws")
    conn.send(0x1, json.dumps({"type": "login", "id": "login", "username": "stress",
                               "password": password}).encode())
    if "authenticated" not in str(conn.message()):
        tally.error(f"client {client}: login failed")
        return

    def write(seq):
        reply = ws_request(ws, conn, f"+stress({client}, {seq})", f"w{seq}")
        return None if reply.get("type") != "error" and acknowledged(reply) else str(reply)

    def read(seq):
        reply = ws_request(ws, conn, f"?stress({client}, {seq})", f"r{seq}")
        return None if len(reply.get("rows", [])) == 1 else str(reply)

    client_loop(client, deadline, read_every, tally, write, read)


def client_loop(client, deadline, read_every, tally, write, read):
    """Until the deadline: write(SEQ) the client's next fact and, every
    read_every writes, read(SEQ) one it saw acknowledged; each returns
    None, or what went wrong."""
    seq = 0
    mine = []
    while time.monotonic() < deadline:
        seq += 1
        started = time.monotonic()
        problem = write(seq)
        if problem and tally.killed.is_set():
            return
        if problem:
            tally.error(f"client {client} write {seq}: {problem}")
            continue
        tally.write(client, seq, (time.monotonic() - started) * 1000)
        mine.append(seq)
        if seq % read_every == 0:
            probe = random.choice(mine)
            started = time.monotonic()
            problem = read(probe)
            tally.read((time.monotonic() - started) * 1000)
            if problem:
                tally.error(f"client {client}: read of its write {probe}: {problem}")


def wait_listening(server):
    line = server.stdout.readline()
    if "listening on" not in line:
        raise SystemExit(f"strata serve did not start: {line}{server.stderr.read()}")
    return int(line.strip().rsplit(":", 1)[1])


def run_serve(args, workdir):
    ws = load_ws_client()
    state = os.path.join(workdir, "serve.kg")
    password = "%032x" % random.getrandbits(128)
    env = dict(os.environ, STRESS_PASSWORD=password)
    server = subprocess.Popen(
        [args.strata, "serve", "--host", "127.0.0.1", "--port", "0", "--state", state,
         "--user", "stress", "--password-env", "STRESS_PASSWORD",
         "--max-connections-per-address", str(max(32, args.clients + 2))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    tally = Tally()
    killer = None
    try:
        port = wait_listening(server)
        if args.kill_under_load:
            def kill():
                tally.killed.set()
                server.send_signal(signal.SIGKILL)
            killer = threading.Timer(args.seconds, kill)
            killer.start()
        # Under --kill-under-load the clients write on past the kill, until
        # their connection fails.
        seconds = args.seconds + (30 if args.kill_under_load else 0)
        elapsed = run_clients(args, tally, seconds, lambda c, deadline: serve_client(
            ws, port, password, c, deadline, args.read_every, tally))
        if not tally.killed.is_set():
            tally.server = (process_cpu_s(server.pid), process_memory(server.pid))
    finally:
        if killer:
            killer.cancel()
        server.send_signal(signal.SIGKILL)
        server.wait()
    return tally, elapsed, stored_facts(args.strata, state)


# -- file: targets -----------------------------------------------------------


def exec_until_unlocked(strata, state, program, deadline):
    """Runs one `strata exec`, again while another process holds the state
    file's lock (until 30 s past the deadline); the last try's result."""
    while True:
        done = subprocess.run([strata, "exec", "--target", f"file:{state}", "--format", "json",
                               "-e", program], capture_output=True, text=True)
        if done.returncode == 0 or "locked" not in done.stderr or time.monotonic() > deadline + 30:
            return done
        time.sleep(random.uniform(0.001, 0.01))


def file_client(strata, state, client, deadline, read_every, tally):
    def outcome(done):
        return f"{done.stdout.strip()} {done.stderr.strip()}"

    def write(seq):
        done = exec_until_unlocked(strata, state, f"+stress({client}, {seq})", deadline)
        ok = done.returncode == 0 and acknowledged(json.loads(done.stdout.splitlines()[-1]))
        return None if ok else outcome(done)

    def read(seq):
        done = exec_until_unlocked(strata, state, f"?stress({client}, {seq})", deadline)
        ok = done.returncode == 0 and len(json.loads(done.stdout).get("rows", [])) == 1
        return None if ok else outcome(done)

    client_loop(client, deadline, read_every, tally, write, read)


def run_file(args, workdir):
    state = os.path.join(workdir, "file.kg")
    tally = Tally()
    elapsed = run_clients(args, tally, args.seconds, lambda c, deadline: file_client(
        args.strata, state, c, deadline, args.read_every, tally))
    return tally, elapsed, stored_facts(args.strata, state)


# -- running and checking ----------------------------------------------------


def run_clients(args, tally, seconds, client):
    """Runs client(NUMBER, DEADLINE) in args.clients threads until
    `seconds` have passed; the seconds they took."""
    deadline = time.monotonic() + seconds

    def guarded(number):
        try:
            client(number, deadline)
        except Exception as e:  # a client's failure is reported, not fatal
            if not tally.killed.is_set():  # the kill ends every client
                tally.error(f"client {number}: {type(e).__name__}: {e}")

    threads = [threading.Thread(target=guarded, args=(c,)) for c in range(args.clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def stored_facts(strata, state):
    """Every stress fact the state file holds, read by a fresh process."""
    done = subprocess.run([strata, "exec", "--target", f"file:{state}", "--format", "json",
                           "-e", "?stress(C, S)"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"cannot read {state}: {done.stderr}{done.stdout}")
    rows = []
    for line in done.stdout.splitlines():
        rows.extend(json.loads(line).get("rows", []))
    return {(int(c), int(s)) for c, s in rows}


def report(name, args, tally, elapsed, stored, quiet):
    missing = sorted(tally.acked - stored)
    ops = len(tally.write_ms) + len(tally.read_ms)
    if not quiet:
        print(f"{name}: {args.clients} clients, {elapsed:.1f} s: "
              f"{len(tally.acked)} acknowledged writes, {len(tally.read_ms)} reads, "
              f"{ops / elapsed:.0f} operations/s")
        print(f"{name}:   write latency p50 {percentile(tally.write_ms, 50):.1f} ms, "
              f"p99 {percentile(tally.write_ms, 99):.1f} ms; "
              f"read p50 {percentile(tally.read_ms, 50):.1f} ms, "
              f"p99 {percentile(tally.read_ms, 99):.1f} ms")
        if tally.server and ops:
            print(f"{name}:   server CPU {tally.server[0] * 1000 / ops:.3f} ms per operation, "
                  f"peak RSS {tally.server[1] / 2**20:.0f} MB")
    for e in tally.errors:
        print(f"{name}: client error: {e}")
    if missing:
        print(f"{name}: {len(missing)} acknowledged writes missing, e.g. {missing[:10]}")
    elif not tally.acked:
        print(f"{name}: no write was acknowledged")
    else:
        print(f"{name}: all acknowledged writes present")
    return not missing and not tally.errors and bool(tally.acked)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--strata", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--targets", default="serve,file")
    parser.add_argument("--read-every", type=int, default=4,
                        help="read one acknowledged fact back every K writes")
    parser.add_argument("--kill-under-load", action="store_true",
                        help="serve: kill the server while the clients are writing")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    runs = {"serve": run_serve, "file": run_file}
    ok = True
    with tempfile.TemporaryDirectory(prefix="strata-stress-") as workdir:
        for name in args.targets.split(","):
            tally, elapsed, stored = runs[name](args, workdir)
            ok = report(name, args, tally, elapsed, stored, args.quiet) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
