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
URL = "ws://127.0.0.1:{port}/ws"
FACTS = '+employee[(1, "ann", 50), (2, "bob", 60), (3, "cy", 70)]'
AFTER_MIGRATE = [[1, "ann", 1, 50.0], [2, "bob", 1, 60.0], [3, "cy", 1, 70.0]]
AFTER_REVERT = [[1, "ann", 50], [2, "bob", 60], [3, "cy", 70]]
GOALS = ["?strata_migrations(A, B, C)", "?strata_lock(A, B)", "?strata_journal(A, B, C, D)",
         "?employee_strata_stage(A, B, C, D)", ".rule list"]

# Run against the restarted server (argv: STRATA PORT COMMAND...): status,
# the command again, then what is left, as one JSON object.
AFTER = """
import json, subprocess, sys
strata, port, command = sys.argv[1], sys.argv[2], sys.argv[3:]
url = f"ws://127.0.0.1:{port}/ws"
def run(args):
    return subprocess.run([strata] + args + ["--target", url], capture_output=True, text=True)
status = run(["status"]).stdout.splitlines()
second = run(command)
frames = {}
for goal in GOALS:
    out = run(["exec", "--format", "json", "-e", goal]).stdout.strip().splitlines()
    frames[goal] = json.loads(out[-1]) if out else {}
print(json.dumps({"status": [l for l in status if l.startswith("interrupted:")],
                  "exit": second.returncode, "said": second.stdout + second.stderr,
                  "frames": frames}))
"""


def served(strata, state, options, *commands):
    """Runs each command (a list, `{port}` filled in) against one server."""
    args = SERVE + [strata, "--state", state] + options
    for command in commands:
        args += ["--"] + command
    return subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def rows(frame):
    return [] if frame.get("columns") == ["message"] else sorted(frame.get("rows", []))


def prepare(strata, work, command):
    """The state every N starts from."""
    state = os.path.join(work, f"base-{command}.kg")
    setup = [[strata, "migrate", "0001_initial", "--target", URL],
             [strata, "exec", "--target", URL, "-e", FACTS]]
    if command == "revert":
        setup.append([strata, "migrate", "--target", URL])
    done = served(strata, state, [], *setup)
    if done.returncode != 0:
        sys.exit(f"setup failed: {done.stdout}{done.stderr}")
    return state


def one(strata, work, base, fault, command, n):
    state = os.path.join(work, f"{fault}-{command}-{n}.kg")
    shutil.copyfile(base, state)
    run = ["revert", "0001_initial"] if command == "revert" else ["migrate"]
    options, env = [], []
    if fault == "close-after":
        options = ["--close-after", str(n)]
    else:
        which = "BEFORE" if fault == "kill-before" else "AFTER"
        env = ["env", f"STRATA_TEST_KILL_{which}_STATEMENT={n}"]
    first = served(strata, state, options, env + [strata] + run + ["--target", URL])
    facts_goal = "?employee(A, B, C)" if command == "revert" else "?employee(A, B, C, D)"
    after_py = os.path.join(work, "after.py")
    with open(after_py, "w") as f:
        f.write(f"GOALS = {json.dumps(GOALS + [facts_goal])}\n" + AFTER)
    after = served(strata, state, [], [sys.executable, after_py, strata, "{port}"] + run)
    found = json.loads(after.stdout.strip().splitlines()[-1])
    frames = found["frames"]
    ledger, lock, journal, stage = (rows(frames[g]) for g in GOALS[:4])
    facts = rows(frames[facts_goal])
    rules = json.dumps(frames[".rule list"])
    expected = AFTER_REVERT if command == "revert" else AFTER_MIGRATE
    outcome = {0: "completed", 1: "failed"}.get(first.returncode, "killed")
    parts = [f"N={n}: first {outcome}"]
    parts.append("status: " + (found["status"][0] if found["status"] else "none"))
    parts.append(f"then exit {found['exit']}")
    parts.append("facts intact" if facts == expected else f"FACTS {facts}")
    parts.append(f"ledger {len(ledger)}")
    parts.append("lock released" if not lock else f"LOCK {lock}")
    parts.append("journal empty" if not journal else f"JOURNAL {journal}")
    parts.append("no stage relation" if not stage else f"STAGE {stage}")
    parts.append("rule staff whole" if "staff (1 clause(s))" in rules else f"RULES {rules}")
    if found["exit"] != 0 or facts != expected:
        parts.append("second run said: " + found["said"])
    return "; ".join(parts)


def main():
    strata, project, work, fault, command, first, last = sys.argv[1:8]
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(project, work)
    os.chdir(work)
    base = prepare(strata, work, command)
    for n in range(int(first), int(last) + 1):
        print(one(strata, work, base, fault, command, n), flush=True)


if __name__ == "__main__":
    main()
