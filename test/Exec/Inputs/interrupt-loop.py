"""Usage: interrupt-loop.py STRATA PROJECT WORKDIR FIRST LAST

Case 8 of issue 12, for every N in FIRST..LAST: a served target (`strata
serve`) with `employee` and three facts at 0001_initial; `strata migrate`
against `strata serve --close-after N` loses its connection part-way
through the add-column migration 0002 (or later); the server is then
restarted on the same state file, and `strata status` and `strata
migrate` run against it. Prints one line per N with what it found:

  N=5: first exit 1; status: interrupted: ...; then exit 0; facts intact; ledger 4;
       lock released; journal empty; no stage relation

Every fact must survive with its new columns, the ledger must list all
four migrations, and neither the lock, the journal nor a staging
relation may be left.
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SERVE = [sys.executable, os.path.join(HERE, "ws-serve.py")]
FACTS = '+employee[(1, "ann", 50), (2, "bob", 60), (3, "cy", 70)]'
EXPECTED = [[1, "ann", 1, 50.0], [2, "bob", 1, 60.0], [3, "cy", 1, 70.0]]


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


def one(strata, project, work, n):
    state = os.path.join(work, f"n{n}.kg")
    url = "ws://127.0.0.1:{port}/ws"
    setup = served(strata, state, [], [strata, "migrate", "0001_initial", "--target", url],
                   [strata, "exec", "--target", url, "-e", FACTS])
    if setup.returncode != 0:
        return f"setup failed: {setup.stderr}"
    first = served(strata, state, ["--close-after", str(n)], [strata, "migrate", "--target", url])
    status = served(strata, state, [], [strata, "status", "--target", url])
    interrupted = [l for l in status.stdout.splitlines() if l.startswith("interrupted:")]
    second = served(strata, state, [], [strata, "migrate", "--target", url])
    # One more server to read the result (its own connection per query).
    probe = os.path.join(work, f"probe{n}.py")
    with open(probe, "w") as f:
        f.write("import json, subprocess, sys\n"
                "s, port = sys.argv[1], sys.argv[2]\n"
                "url = f'ws://127.0.0.1:{port}/ws'\n"
                "goals = ['?employee(A, B, C, D)', '?strata_migrations(A, B, C)',\n"
                "         '?strata_lock(A, B)', '?strata_journal(A, B, C, D)',\n"
                "         '?employee_strata_stage(A, B, C, D)']\n"
                "for g in goals:\n"
                "    out = subprocess.run([s, 'exec', '--target', url, '--format', 'json', '-e', g],\n"
                "                         capture_output=True, text=True).stdout\n"
                "    print(out.strip().splitlines()[-1] if out.strip() else '{}')\n")
    read = served(strata, state, [], [sys.executable, probe, strata, "{port}"])
    frames = [json.loads(l) for l in read.stdout.splitlines()]
    rows = [[] if fr.get("columns") == ["message"] else sorted(fr.get("rows", [])) for fr in frames]
    facts, ledger, lock, journal, stage = rows
    parts = [f"N={n}: first exit {first.returncode}"]
    parts.append("status: " + (interrupted[0] if interrupted else "none"))
    parts.append(f"then exit {second.returncode}")
    parts.append("facts intact" if facts == EXPECTED else f"FACTS {facts}")
    parts.append(f"ledger {len(ledger)}")
    parts.append("lock released" if not lock else f"LOCK {lock}")
    parts.append("journal empty" if not journal else f"JOURNAL {journal}")
    parts.append("no stage relation" if not stage else f"STAGE {stage}")
    if first.returncode == 0 or second.returncode != 0 or facts != EXPECTED:
        parts.append("second run said: " + second.stdout + second.stderr)
    return "; ".join(parts)


def main():
    strata, project, work, first, last = sys.argv[1:6]
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(project, work)
    os.chdir(work)
    for n in range(int(first), int(last) + 1):
        print(one(strata, project, work, n), flush=True)


if __name__ == "__main__":
    main()
