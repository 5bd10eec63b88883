"""Usage: interrupt-loop.py STRATA PROJECT WORKDIR FAULT COMMAND FIRST LAST

Recovery from an interrupted run, for every N in FIRST..LAST, on a served
target (`strata serve`) of PROJECT (test/Exec/Inputs/hr) holding three
`employee` facts:

  COMMAND migrate: at 0001_initial, `strata migrate` is interrupted;
  COMMAND revert:  at the latest, `strata revert 0001_initial` is.

FAULT says how: `close-after` runs it against `strata serve --close-after
N` (the connection drops when request N+1 arrives: issue 12, case 8);
`kill-before` / `kill-after` kill the client like `kill -9` before the
Nth statement is sent, or after its reply arrived but before it is read
(STRATA_TEST_KILL_BEFORE_STATEMENT / _AFTER_STATEMENT). The server is
then restarted on the same state file, and `strata status` and the same
command run again. Prints one line per N:

  N=5: first failed; status: interrupted: ...; then exit 0; facts intact;
       ledger 4; lock released; journal empty; no stage relation

Every fact must survive (with the columns the command leads to), the
ledger must list what it leads to, and neither the lock, the journal nor
a staging relation may be left.
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SERVE = [sys.executable, os.path.join(HERE, "ws-serve.py")]
FACTS = '+employee[(1, "ann", 50), (2, "bob", 60), (3, "cy", 70)]'
AFTER_MIGRATE = [[1, "ann", 1, 50.0], [2, "bob", 1, 60.0], [3, "cy", 1, 70.0]]
AFTER_REVERT = [[1, "ann", 50], [2, "bob", 60], [3, "cy", 70]]


def served(strata, state, options, *commands):
    """Runs each command (a list, `{port}` filled in) against one server."""
    args = SERVE + [strata, "--state", state] + options
    for command in commands:
        args += ["--"] + command
    return subprocess.run(args, capture_output=True, text=True)


def query(strata, url, goal):
    out = subprocess.run([strata, "exec", "--target", url, "--format", "json", "-e", goal],
                         capture_output=True, text=True).stdout
    frame = json.loads(out.splitlines()[-1]) if out.strip() else {}
    if frame.get("columns") == ["message"]:
        return []
    return sorted(frame.get("rows", []))


def one(strata, work, fault, command, n):
    state = os.path.join(work, f"{fault}-{command}-{n}.kg")
    url = "ws://127.0.0.1:{port}/ws"
    setup = served(strata, state, [], [strata, "migrate", "0001_initial", "--target", url],
                   [strata, "exec", "--target", url, "-e", FACTS])
    if command == "revert":
        setup = served(strata, state, [], [strata, "migrate", "--target", url])
    if setup.returncode != 0:
        return f"setup failed: {setup.stderr}"
    run = [strata, "revert", "0001_initial"] if command == "revert" else [strata, "migrate"]
    run += ["--target", url]
    options, env = [], []
    if fault == "close-after":
        options = ["--close-after", str(n)]
    else:
        which = "BEFORE" if fault == "kill-before" else "AFTER"
        env = ["env", f"STRATA_TEST_KILL_{which}_STATEMENT={n}"]
    first = served(strata, state, options, env + run)
    status = served(strata, state, [], [strata, "status", "--target", url])
    interrupted = [l for l in status.stdout.splitlines() if l.startswith("interrupted:")]
    second = served(strata, state, [], run)
    # One more server to read the result (its own connection per query).
    probe = os.path.join(work, f"probe{n}.py")
    with open(probe, "w") as f:
        f.write("import json, subprocess, sys\n"
                "s, port = sys.argv[1], sys.argv[2]\n"
                "url = f'ws://127.0.0.1:{port}/ws'\n"
                "goals = ['?employee(A, B, C, D)', '?strata_migrations(A, B, C)',\n"
                "         '?strata_lock(A, B)', '?strata_journal(A, B, C, D)',\n"
                "         '?employee_strata_stage(A, B, C, D)', '.rule list']\n"
                "for g in goals:\n"
                "    out = subprocess.run([s, 'exec', '--target', url, '--format', 'json', '-e', g],\n"
                "                         capture_output=True, text=True).stdout\n"
                "    print(out.strip().splitlines()[-1] if out.strip() else '{}')\n")
    read = served(strata, state, [], [sys.executable, probe, strata, "{port}"])
    frames = [json.loads(l) for l in read.stdout.splitlines()]
    rows = [[] if fr.get("columns") == ["message"] else sorted(fr.get("rows", [])) for fr in frames]
    facts, ledger, lock, journal, stage, _ = rows
    rules = json.dumps(frames[-1])
    if command == "revert":
        facts = rows_of(strata, state, "?employee(A, B, C)")
    expected = AFTER_REVERT if command == "revert" else AFTER_MIGRATE
    outcome = {0: "completed", 1: "failed"}.get(first.returncode, "killed")
    parts = [f"N={n}: first {outcome}"]
    parts.append("status: " + (interrupted[0] if interrupted else "none"))
    parts.append(f"then exit {second.returncode}")
    parts.append("facts intact" if facts == expected else f"FACTS {facts}")
    parts.append(f"ledger {len(ledger)}")
    parts.append("lock released" if not lock else f"LOCK {lock}")
    parts.append("journal empty" if not journal else f"JOURNAL {journal}")
    parts.append("no stage relation" if not stage else f"STAGE {stage}")
    parts.append("rule staff whole" if "staff (1 clause(s))" in rules else f"RULES {rules}")
    if second.returncode != 0 or facts != expected:
        parts.append("second run said: " + second.stdout + second.stderr)
    return "; ".join(parts)


def rows_of(strata, state, goal):
    read = served(strata, state, [], [strata, "exec", "--target", "ws://127.0.0.1:{port}/ws",
                                      "--format", "json", "-e", goal])
    frame = json.loads(read.stdout.strip().splitlines()[-1])
    return [] if frame.get("columns") == ["message"] else sorted(frame.get("rows", []))


def main():
    strata, project, work, fault, command, first, last = sys.argv[1:8]
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(project, work)
    os.chdir(work)
    for n in range(int(first), int(last) + 1):
        print(one(strata, work, fault, command, n), flush=True)


if __name__ == "__main__":
    main()
