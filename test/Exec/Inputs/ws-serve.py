"""Usage: ws-serve.py STRATA [SERVE-OPTIONS...] -- COMMAND [ARGS...]

Starts `STRATA serve --host 127.0.0.1 --port 0 SERVE-OPTIONS` in the
background, waits for its `listening on 127.0.0.1:PORT` line, runs COMMAND
with every `{port}` in its arguments replaced by the port, and stops the
server (SIGTERM, then SIGKILL if it lingers) whatever happens. COMMAND's
output passes through; the exit status is COMMAND's. The server's own
output after the listening line is appended to standard error as
`serve: LINE`, so a test can check that it stopped cleanly.

`--` may be given more than once: `-- CMD1 -- CMD2` runs both against one
server. Commands see the server's process id in SERVE_PID.
"""
import os
import signal
import subprocess
import sys
import threading

STARTUP_SECONDS = 30


def main():
    args = sys.argv[1:]
    if "--" not in args:
        sys.exit("usage: ws-serve.py STRATA [SERVE-OPTIONS...] -- COMMAND...")
    split = args.index("--")
    strata, serve_options = args[0], args[1:split]
    commands, current = [], []
    for arg in args[split + 1:]:
        if arg == "--":
            commands.append(current)
            current = []
        else:
            current.append(arg)
    commands.append(current)

    server = subprocess.Popen(
        [strata, "serve", "--host", "127.0.0.1", "--port", "0"] + serve_options,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = wait_until_listening(server)
        status = 0
        env = dict(os.environ, SERVE_PID=str(server.pid))
        for command in commands:
            command = [a.replace("{port}", str(port)) for a in command]
            sys.stdout.flush()
            status = subprocess.call(command, env=env)
        return status
    finally:
        stop(server)


def wait_until_listening(server):
    """The port from the server's first line; fails if it never comes."""
    found = {}

    def read_first_line():
        found["line"] = server.stdout.readline()

    reader = threading.Thread(target=read_first_line, daemon=True)
    reader.start()
    reader.join(STARTUP_SECONDS)
    line = found.get("line", "")
    if not line.startswith("listening on "):
        stop(server)
        sys.exit(f"ws-serve.py: the server did not start (first line: {line!r})")
    return int(line.rsplit(":", 1)[1])


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            sys.stderr.write("serve: did not stop on SIGTERM\n")
    rest_out, rest_err = server.communicate()
    for line in (rest_out + rest_err).splitlines():
        sys.stderr.write(f"serve: {line}\n")
    sys.stderr.write(f"serve: exit {server.returncode}\n")


if __name__ == "__main__":
    sys.exit(main())
