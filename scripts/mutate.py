#!/usr/bin/env python3
"""Mutation sampler: how many small plausible bugs in lib/ do the tests catch?

Usage: scripts/mutate.sh [--seed N] [--count N] [--time SECONDS] [options]
       scripts/mutate.sh --list [--seed N] [--count N] [--files FILE...]

Enumerates one-line mutants of the C++ sources (lib/**/*.cpp by default):
  flip-comparison  `A < B` -> `A >= B` or `A <= B`, `==` <-> `!=`, ...
  if-true/if-false the condition of an `if` replaced by true or false
  skip-call        a statement that is only a call replaced by `{}`
  swap-args        the two arguments of a call swapped
  early-return     `return;` (void) or `return true|false;` (bool) put
                   before a top-level statement of a function body
then draws --count of them with --seed (an operator kind at random, then a
site of that kind), so the same seed on the same sources gives the same
mutants. --list prints them and stops: nothing is copied or built.

Otherwise each mutant in turn is written into a copy of the tree (--work,
with its own build directory; the sources themselves are never touched),
built incrementally with ninja and tested with the lit and unit suites,
stopping at the first failing test (lit --max-failures=1) or after
--mutant-timeout seconds. The copy's file is restored after each mutant,
also on Ctrl-C or an error. Each mutant is reported as KILLED (a test
failed, or the suite timed out), SURVIVED (every test passed) or
NOCOMPILE (the build failed), with file:line and the change; the summary
gives the score, killed / (killed + survived). Not run in CI: each mutant
takes minutes. docs/testing.md says when to run it.
"""
import argparse
import glob
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

LIT = "/usr/lib/llvm-14/build/utils/lit/lit.py"
# Tests of the source text rather than of behaviour: a mutant written on
# one line (`return; X`) fails the format check without being caught.
SOURCE_TESTS = ["Scripts/format.test"]
KINDS = ["flip-comparison", "if-true", "if-false", "skip-call", "swap-args", "early-return"]
KEYWORDS = {
    "if", "for", "while", "switch", "return", "sizeof", "alignof", "decltype", "catch",
    "static_assert", "assert", "delete", "throw", "new", "defined", "noexcept", "alignas",
    "operator", "LLVM_DEBUG", "co_return", "co_await", "else", "case", "do",
}
NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
BOUNDARY = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}


# ---------------------------------------------------------------- masking

def mask(text):
    """text with comments, string and character literal contents and
    preprocessor lines blanked (newlines kept): same length, so offsets
    found in it apply to text."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    line_start = True
    while i < n:
        c = text[i]
        if line_start and text[i:].lstrip(" \t").startswith("#"):
            j = i
            while True:  # a directive, with its continuation lines
                e = text.find("\n", j)
                e = n if e < 0 else e
                if e > 0 and text[e - 1] == "\\" and e < n:
                    j = e + 1
                    continue
                break
            blank(i, e)
            i = e
            continue
        line_start = c == "\n" or (line_start and c in " \t")
        before = text[i - 1] if i else " "
        if text.startswith("//", i):
            e = text.find("\n", i)
            e = n if e < 0 else e
            blank(i, e)
            i = e
        elif text.startswith("/*", i):
            e = text.find("*/", i + 2)
            e = n if e < 0 else e + 2
            blank(i, e)
            i = e
        elif text.startswith('R"', i) and not (before.isalnum() or before == "_"):
            p = text.find("(", i + 2)
            close = ")" + text[i + 2:p] + '"'
            e = text.find(close, p)
            e = n if e < 0 else e + len(close)
            blank(i + 1, e - 1)
            i = e
        elif c == "'" and before.isalnum():
            i += 1  # a digit separator
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, j)
            i = j + 1
        else:
            i += 1
    return "".join(out)


def matching(masked, open_at):
    """The index of the bracket closing the one at open_at, or -1."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    for k in range(open_at, len(masked)):
        c = masked[k]
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                return -1
            if not stack:
                return k
    return -1


def split_top(masked, a, b):
    """(start, end) spans of the comma-separated parts of masked[a:b]."""
    parts, depth, start = [], 0, a
    for k in range(a, b):
        c = masked[k]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append((start, k))
            start = k + 1
    parts.append((start, b))
    return parts


def prev_code(masked, at):
    """The last non-blank character before at ('' at the start)."""
    k = at - 1
    while k >= 0 and masked[k] in " \t\n":
        k -= 1
    return masked[k] if k >= 0 else ""


def statement_start(masked, at):
    """Whether a statement may start at at: after ; { } : or ), or else."""
    k = at - 1
    while k >= 0 and masked[k] in " \t\n":
        k -= 1
    if k < 0:
        return True
    if masked[k] in ";{}:)":
        return not (masked[k] == ":" and k > 0 and masked[k - 1] == ":")
    return masked[max(0, k - 3):k + 1] == "else" and (k < 4 or not masked[k - 4].isalnum())


# -------------------------------------------------------------- operators

class Site:
    def __init__(self, path, text, kind, start, end, replacement):
        self.path, self.kind = path, kind
        self.start, self.end, self.replacement = start, end, replacement
        self.line = text.count("\n", 0, start) + 1
        # A change within one line shows the whole line, before and after.
        bol = text.rfind("\n", 0, start) + 1
        eol = text.find("\n", end)
        eol = len(text) if eol < 0 else eol
        if "\n" not in text[start:end] and "\n" not in replacement:
            start_, end_ = bol, eol
        else:
            start_, end_ = start, end
        self.before = squash(text[start_:end_])
        self.after = squash(text[start_:start] + replacement + text[end:end_])

    def describe(self):
        return f"{self.path}:{self.line}: {self.kind}: `{self.before}` -> `{self.after}`"

    def apply(self, text):
        return text[:self.start] + self.replacement + text[self.end:]


def squash(s, limit=100):
    s = re.sub(r"\s+", " ", s).strip()
    return s if len(s) <= limit else s[:limit - 3] + "..."


COMPARISON = re.compile(r"(?<=\s)(<=|>=|==|!=|<|>)(?=\s)")


def comparisons(path, text, masked):
    for m in COMPARISON.finditer(masked):
        op = m.group(1)
        # Template brackets and shifts are written without spaces around.
        yield Site(path, text, "flip-comparison", m.start(), m.end(), NEGATE[op])
        if op in BOUNDARY:
            yield Site(path, text, "flip-comparison", m.start(), m.end(), BOUNDARY[op])


DECLARATION = re.compile(r"^\s*(auto|const|bool|int|unsigned|size_t|char|double|float|"
                         r"std::|llvm::|[A-Z]\w*\s*[*&]?\s+\w+\s*=)")


def conditions(path, text, masked):
    for m in re.finditer(r"\bif\s*\(", masked):
        if masked[max(0, m.start() - 1)].isalnum():
            continue
        open_at = m.end() - 1
        close = matching(masked, open_at)
        if close < 0:
            continue
        cond = masked[open_at + 1:close]
        if ";" in cond or DECLARATION.match(cond) or not cond.strip():
            continue
        if cond.strip() in ("true", "false"):
            continue
        for value in ("true", "false"):
            yield Site(path, text, "if-" + value, open_at + 1, close, value)


CALLEE = re.compile(r"[A-Za-z_][\w]*(?:(?:::|\.|->)~?[A-Za-z_]\w*)*(?:<[\w:, *&]*>)?\(")


def skipped_calls(path, text, masked):
    for m in re.finditer(r"(?m)^[ \t]+(?=[A-Za-z_])", masked):
        at = m.end()
        c = CALLEE.match(masked, at)
        if not c:
            continue
        first = re.match(r"[A-Za-z_]\w*", masked[at:]).group(0)
        if first in KEYWORDS:
            continue
        close = matching(masked, c.end() - 1)
        if close < 0 or masked[close + 1:close + 2] != ";":
            continue
        if not statement_start(masked, at):
            continue
        yield Site(path, text, "skip-call", at, close + 2, "{}")


PARAMETER = re.compile(r"^\s*(const\s+)?[\w:]+(\s*<.*>)?[\s*&]+\w+\s*(=.*)?$")


def swapped_args(path, text, masked):
    for m in re.finditer(r"[A-Za-z_]\w*\(", masked):
        if m.start() and (masked[m.start() - 1].isalnum() or masked[m.start() - 1] == "_"):
            continue
        if m.group(0)[:-1] in KEYWORDS:
            continue
        # A definition's parameter list starts at the line's first column
        # or follows a return type: skip declarations by their parts.
        open_at = m.end() - 1
        close = matching(masked, open_at)
        if close < 0:
            continue
        parts = split_top(masked, open_at + 1, close)
        if len(parts) != 2:
            continue
        (a0, a1), (b0, b1) = parts
        a, b = masked[a0:a1], masked[b0:b1]
        if not a.strip() or not b.strip() or a.strip() == b.strip():
            continue
        if any(ch in a + b for ch in "<>{};") or PARAMETER.match(a) or PARAMETER.match(b):
            continue
        ta, tb = text[a0:a1], text[b0:b1]
        if '"' in ta + tb or "'" in ta + tb:
            continue  # a format string and its value: a swap never compiles
        after = masked[close + 1:close + 40].lstrip()
        if after.startswith("{") or after.startswith("const") or after.startswith(":"):
            continue  # a function header
        lead_a = ta[:len(ta) - len(ta.lstrip())]
        lead_b = tb[:len(tb) - len(tb.lstrip())]
        swapped = lead_a + tb.strip() + ta[len(ta.rstrip()):] + "," + lead_b + ta.strip() + \
            tb[len(tb.rstrip()):]
        yield Site(path, text, "swap-args", a0, b1, swapped)


HEADER = re.compile(r"(?m)^([ \t]*)(?:(?:static|inline|virtual|constexpr)\s+)*(void|bool)\s+"
                    r"(~?[A-Za-z_][\w:]*)\(")


def early_returns(path, text, masked):
    for h in HEADER.finditer(masked):
        indent, rtype = h.group(1), h.group(2)
        close = matching(masked, h.end() - 1)
        if close < 0:
            continue
        k = close + 1
        while k < len(masked) and masked[k] not in "{;":
            k += 1
        if k >= len(masked) or masked[k] != "{":
            continue
        end = matching(masked, k)
        if end < 0:
            continue
        inner = indent + "  "
        body_lines = re.finditer(r"(?m)^" + re.escape(inner) + r"(?=[A-Za-z_(*!])", masked[:end])
        values = [""] if rtype == "void" else [" true", " false"]
        for line in body_lines:
            at = line.end()
            if at <= k or not statement_start(masked, at):
                continue
            word = re.match(r"\w*", masked[at:]).group(0)
            if word in ("else", "case", "default", "return", "public", "private", "protected"):
                continue
            eol = text.find("\n", at)
            eol = len(text) if eol < 0 else eol
            for v in values:
                # On the statement's own line: line numbers stay.
                yield Site(path, text, "early-return", at, eol, f"return{v}; " + text[at:eol])


OPERATORS = [comparisons, conditions, skipped_calls, swapped_args, early_returns]


def sites_of(root, files):
    by_kind = {k: [] for k in KINDS}
    for path in files:
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = f.read()
        masked = mask(text)
        for op in OPERATORS:
            for s in op(path, text, masked):
                by_kind[s.kind].append(s)
    return by_kind


def draw(by_kind, seed, count):
    """count sites: a kind at random (among those with sites left), then a
    site of it; deterministic for a seed and the same sources."""
    rng = random.Random(seed)
    pools = {k: list(v) for k, v in by_kind.items() if v}
    picked = []
    while pools and len(picked) < count:
        kind = rng.choice(sorted(pools))
        pool = pools[kind]
        picked.append(pool.pop(rng.randrange(len(pool))))
        if not pool:
            del pools[kind]
    return picked


# ----------------------------------------------------------------- running

def sync_tree(root, work):
    """Copies the tracked and untracked-not-ignored files of root into
    work/src, only those that differ, so builds there stay incremental."""
    src = os.path.join(work, "src")
    listing = subprocess.run(["git", "-C", root, "ls-files", "-z", "-co", "--exclude-standard"],
                             check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listing):
        a, b = os.path.join(root, rel), os.path.join(src, rel)
        if not os.path.isfile(a):
            continue
        with open(a, "rb") as f:
            data = f.read()
        if os.path.isfile(b):
            with open(b, "rb") as f:
                if f.read() == data:
                    continue
        os.makedirs(os.path.dirname(b), exist_ok=True)
        shutil.copy2(a, b)
    shared = os.path.normpath(os.path.join(root, "..", "shared"))
    link = os.path.join(work, "shared")  # src/../shared, as lit.cfg.py looks for it
    if os.path.isdir(shared) and not os.path.exists(link):
        os.symlink(shared, link)  # tests that read it run in the copy too
    return src


def run(cmd, timeout, log):
    """Runs cmd in its own process group; (status, seconds). status is
    None on timeout (the group is killed)."""
    start = time.time()
    with open(log, "w") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            status = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            status = None
        except BaseException:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            raise
    return status, time.time() - start


def first_failure(log):
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            # `lit -q` lists the failures at the end: `  Strata :: Dir/x.test`.
            m = re.match(r"(?:(?:FAIL|TIMEOUT|UNRESOLVED): |\s+)[\w.-]+ :: (\S+)", line)
            if m:
                return m.group(1)
    return ""


class Runner:
    def __init__(self, args, src):
        self.args, self.src = args, src
        # src/build, as a checkout's build/: with ccache's base_dir above
        # both, the copy's compile commands match the checkout's (cache hits).
        self.build = os.path.join(src, "build")
        self.logs = os.path.join(args.work, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.flaky = set()
        self.left_out = set(SOURCE_TESTS)

    def configure(self):
        if os.path.isfile(os.path.join(self.build, "CMakeCache.txt")):
            return True
        cmd = ["cmake", "-S", self.src, "-B", self.build, "-G", "Ninja",
               "-DCMAKE_BUILD_TYPE=Release"]
        if shutil.which("ccache"):
            cmd.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
        status, _ = run(cmd, None, os.path.join(self.logs, "configure.log"))
        return status == 0

    def build_and_test(self, name, timeout):
        """'killed', 'survived', 'nocompile' or 'timeout', and the test
        that failed first."""
        deadline = time.time() + timeout
        log = os.path.join(self.logs, name)
        status, _ = run(["nice", "-n", "5", "ninja", "-C", self.build], max(1, deadline - time.time()),
                        log + ".build.log")
        if status is None:
            return "timeout", "(build)"
        if status != 0:
            return "nocompile", ""
        for attempt in range(4):
            status, test = self.suite(log + f".test{attempt or ''}.log", deadline)
            if status != "killed" or not self.flaky_alone(test, deadline):
                return status, test
            # The test fails in the suite and passes on its own, with or
            # without the mutant: a flaky test, left out from now on.
            self.flaky.add(test)
            print(f"note: {test} failed in the suite and passed alone: flaky, left out of "
                  "the runs from now on", flush=True)
        return status, test

    def suite(self, log, deadline):
        cmd = [sys.executable, LIT, "-q", "--max-failures=1", "-j", str(self.args.jobs)]
        cmd += ["--filter-out", "|".join(re.escape(t) for t in sorted(self.flaky | self.left_out))]
        cmd += [os.path.join(self.build, "test"), os.path.join(self.build, "test", "Unit")]
        status, _ = run(cmd, max(1, deadline - time.time()), log)
        if status is None:
            return "timeout", ""
        if status == 0:
            return "survived", ""
        return "killed", first_failure(log)

    def flaky_alone(self, test, deadline):
        """Whether test (a lit test, not a unit test) passes run alone."""
        path = os.path.join(self.build, "test", test)
        if not test or test.startswith("Unit/") or not os.path.exists(
                os.path.join(self.src, "test", test)):
            return False
        status, _ = run([sys.executable, LIT, "-q", path], max(1, deadline - time.time()),
                        os.path.join(self.logs, "rerun.log"))
        return status == 0


def run_mutants(args, picked, earlier):
    if not shutil.which("ninja"):
        sys.exit("mutate: ninja is needed (scripts/setup.sh installs it)")
    os.makedirs(args.work, exist_ok=True)
    src = sync_tree(args.root, args.work)
    runner = Runner(args, src)
    if not runner.configure():
        sys.exit(f"mutate: cmake failed; see {runner.logs}/configure.log")
    started = time.time()
    if not args.no_baseline:
        print("baseline: building and testing the unmutated copy ...", flush=True)
        outcome, test = runner.build_and_test("baseline", args.baseline_timeout)
        if outcome != "survived":
            sys.exit(f"mutate: the unmutated copy does not pass ({outcome} {test}); "
                     f"see {runner.logs}/baseline.*.log")
    done = {r["n"] for r in earlier}
    results = list(earlier)
    try:
        for n, site in enumerate(picked, 1):
            if n in done:
                continue
            if args.time and time.time() - started > args.time:
                left = sum(1 for m in range(n, len(picked) + 1) if m not in done)
                print(f"--time {args.time}s spent: {left} mutants not run")
                break
            path = os.path.join(src, site.path)
            with open(path, encoding="utf-8") as f:
                original = f.read()
            t0 = time.time()
            try:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(site.apply(original))
                outcome, test = runner.build_and_test(f"mutant-{n:03d}", args.mutant_timeout)
            finally:
                # The copy goes back to the source's text whatever happened.
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)
            seconds = time.time() - t0
            label = {"killed": "KILLED", "survived": "SURVIVED", "nocompile": "NOCOMPILE",
                     "timeout": "TIMEOUT"}[outcome]
            by = f" by {test}" if test else ""
            print(f"[{n}/{len(picked)}] {label:9} {site.describe()} ({seconds:.0f}s{by})",
                  flush=True)
            results.append({"n": n, "outcome": outcome, "file": site.path, "line": site.line,
                            "kind": site.kind, "before": site.before, "after": site.after,
                            "test": test, "seconds": round(seconds)})
    except KeyboardInterrupt:
        print("\ninterrupted: the copy's sources are restored", flush=True)
    summarize(results, args)
    for test in sorted(runner.flaky):
        print(f"flaky: {test} (left out after it failed in the suite and passed alone)")
    return 0


def resumed_results(args, picked):
    """The results of an earlier run of the same sample (--resume), checked
    to be the mutants this seed draws from these sources."""
    if not args.resume:
        return []
    with open(args.resume, encoding="utf-8") as f:
        earlier = json.load(f)
    if earlier.get("seed") != args.seed:
        sys.exit(f"mutate: {args.resume} is seed {earlier.get('seed')}, not {args.seed}")
    for r in earlier["mutants"]:
        n = r["n"]
        site = picked[n - 1] if 0 < n <= len(picked) else None
        if site is None or (site.path, site.line, site.before) != (r["file"], r["line"],
                                                                   r["before"]):
            sys.exit(f"mutate: mutant {n} of {args.resume} is not the one drawn here: "
                     "resume on the sources that report was made from (--root)")
    print(f"resuming: {len(earlier['mutants'])} mutants already judged in {args.resume}",
          flush=True)
    return earlier["mutants"]


def summarize(results, args):
    results = sorted(results, key=lambda r: r["n"])
    count = {k: sum(r["outcome"] == k for r in results)
             for k in ("killed", "survived", "nocompile", "timeout")}
    killed = count["killed"] + count["timeout"]
    judged = killed + count["survived"]
    score = f"{100.0 * killed / judged:.1f}%" if judged else "n/a"
    print(f"mutation score: {score} ({killed} killed, of them {count['timeout']} by timeout; "
          f"{count['survived']} survived; {count['nocompile']} did not compile; "
          f"seed {args.seed}, {len(results)} mutants run)")
    for r in results:
        if r["outcome"] == "survived":
            print(f"survivor: {r['file']}:{r['line']}: {r['kind']}: `{r['before']}` -> "
                  f"`{r['after']}`")
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump({"seed": args.seed, "score": score, "counts": count, "mutants": results},
                      f, indent=1)


def interrupt_on_term(signum, frame):
    raise KeyboardInterrupt  # the same clean-up as Ctrl-C


def main():
    signal.signal(signal.SIGTERM, interrupt_on_term)
    signal.signal(signal.SIGHUP, interrupt_on_term)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=10, help="mutants to draw (default 10)")
    p.add_argument("--time", type=int, default=0,
                   help="start no mutant after this many seconds from the start, baseline "
                   "included (default: no limit)")
    p.add_argument("--mutant-timeout", type=int, default=900,
                   help="seconds for one mutant's build and tests (default 900)")
    p.add_argument("--baseline-timeout", type=int, default=3600)
    p.add_argument("--no-baseline", action="store_true",
                   help="skip building and testing the unmutated copy first")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="lit's -j")
    p.add_argument("--root", default=root, help="the source tree (default: this checkout)")
    p.add_argument("--files", nargs="+", help="files to mutate, relative to --root "
                   "(default lib/**/*.cpp)")
    p.add_argument("--work", help="the copy (WORK/src) and its build (WORK/src/build); "
                   "default: build-mutate/ in the checkout (ignored by git)")
    p.add_argument("--list", action="store_true", help="print the drawn mutants and stop")
    p.add_argument("--stats", action="store_true", help="print how many sites each kind has")
    p.add_argument("--report", help="also write the results as JSON to this file")
    p.add_argument("--resume", metavar="REPORT",
                   help="run only the mutants a stopped run's --report (same seed, same "
                   "sources) did not judge; the summary and --report cover both")
    args = p.parse_args()
    args.root = os.path.abspath(args.root)
    files = args.files or sorted(os.path.relpath(f, args.root) for f in
                                 glob.glob(os.path.join(args.root, "lib", "**", "*.cpp"),
                                           recursive=True))
    by_kind = sites_of(args.root, files)
    if args.stats:
        for k in KINDS:
            print(f"{k}: {len(by_kind[k])} sites")
    picked = draw(by_kind, args.seed, args.count)
    earlier = resumed_results(args, picked)
    if args.list:
        done = {r["n"] for r in earlier}
        for n, site in enumerate(picked, 1):
            if n not in done:
                print(f"{n}. {site.describe()}")
        return 0
    if args.work is None:
        args.work = os.path.join(args.root, "build-mutate")
    args.work = os.path.abspath(args.work)
    return run_mutants(args, picked, earlier)


if __name__ == "__main__":
    sys.exit(main())
