"""Targets of the history fuzzer: an embedded `file:` target, or a served
one (`strata serve` on a state file, restarted at will), and the faults
each can suffer while a `migrate` or `revert` runs."""
import json
import os
import signal
import subprocess
import threading
import time

STARTUP_SECONDS = 30


class Strata:
    """Runs `strata` in one project directory, logging every command."""

    def __init__(self, binary, project, log):
        self.binary, self.project, self.log = binary, project, log

    def run(self, args, env=None, timeout=120):
        full_env = dict(os.environ, **(env or {}))
        full_env.pop("STRATA_TARGET", None)
        started = time.monotonic()
        try:
            done = subprocess.run([self.binary] + args, cwd=self.project, env=full_env,
                                  capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            self.log.append(f"$ strata {' '.join(args)}  # TIMEOUT")
            raise Failure(f"`strata {' '.join(args)}` did not finish in {timeout} s") from e
        shown = " ".join(args) + (f"  [{' '.join(f'{k}={v}' for k, v in env.items())}]" if env else "")
        self.log.append(f"$ strata {shown}  # exit {done.returncode}, "
                        f"{(time.monotonic() - started) * 1000:.0f} ms")
        if done.stdout.strip():
            self.log.extend("  | " + line for line in done.stdout.rstrip().splitlines()[-12:])
        if done.stderr.strip():
            self.log.extend("  ! " + line for line in done.stderr.rstrip().splitlines()[-12:])
        return done


class Failure(Exception):
    """A broken guarantee: the history fuzzer's only kind of finding."""


class FileTarget:
    kind = "file"

    def __init__(self, strata, path):
        self.strata, self.url = strata, f"file:{path}"

    def start(self):
        pass

    def stop(self):
        pass

    def faults(self):
        return ["kill-before", "kill-after"]

    def run_with_fault(self, args, fault, n):
        which = "BEFORE" if fault == "kill-before" else "AFTER"
        return self.strata.run(args + ["--target", self.url],
                               env={f"STRATA_TEST_KILL_{which}_STATEMENT": str(n)})


class ServedTarget:
    kind = "ws"

    def __init__(self, strata, state):
        self.strata, self.state, self.server, self.url = strata, state, None, None

    def start(self, options=()):
        self.server = subprocess.Popen(
            [self.strata.binary, "serve", "--host", "127.0.0.1", "--port", "0",
             "--state", self.state] + list(options),
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            stdin=subprocess.DEVNULL)
        line = _first_line(self.server)
        if not line.startswith("listening on "):
            self.stop()
            raise Failure(f"strata serve did not start: {line!r}")
        self.url = f"ws://127.0.0.1:{int(line.rsplit(':', 1)[1])}/ws"
        self.strata.log.append(f"# server started {' '.join(options)} at {self.url}")

    def stop(self, hard=False):
        if self.server is None:
            return
        if self.server.poll() is None:
            self.server.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.strata.log.append(f"# server stopped ({'kill -9' if hard else 'SIGTERM'})")
        self.server = None

    def restart(self, options=(), hard=False):
        self.stop(hard)
        self.start(options)

    def faults(self):
        return ["kill-before", "kill-after", "close-after", "server-kill"]

    def run_with_fault(self, args, fault, n):
        if fault == "close-after":
            self.restart(["--close-after", str(n)])
            try:
                return self.strata.run(args + ["--target", self.url])
            finally:
                self.restart()
        if fault == "server-kill":
            return self._run_and_kill_server(args, n)
        which = "BEFORE" if fault == "kill-before" else "AFTER"
        done = self.strata.run(args + ["--target", self.url],
                               env={f"STRATA_TEST_KILL_{which}_STATEMENT": str(n)})
        self.restart()
        return done

    def _run_and_kill_server(self, args, n):
        """The server is killed (-9) n milliseconds into the command; it
        saves before it answers, so whatever it acknowledged survives."""
        timer = threading.Timer(n / 1000, lambda: self.server.send_signal(signal.SIGKILL))
        timer.start()
        try:
            return self.strata.run(args + ["--target", self.url])
        finally:
            timer.cancel()
            self.restart(hard=True)


def _first_line(server):
    """The server's first line; a thread then drains the rest, so a
    server that logs never blocks on a full pipe."""
    found = {}

    def read():
        found["line"] = server.stdout.readline()
        for _ in server.stdout:
            pass

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while "line" not in found and time.monotonic() < deadline and reader.is_alive():
        time.sleep(0.002)
    return found.get("line", "")


def exec_json(strata, target, program_path):
    """Runs an IQL program; returns its reply frames, one per statement."""
    done = strata.run(["exec", "--target", target.url, "--format", "json", program_path])
    frames = []
    for line in done.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            frames.append(json.loads(line))
    return done, frames
