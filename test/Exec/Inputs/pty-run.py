#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as if typed at a terminal, and
prints what it wrote there with the control sequences made visible: a
carriage return as `<CR>`, erase-to-end-of-line (ESC [ K) as `<EL>`, so a
test can check a line redrawn in place. Exits with the command's status.

usage: pty-run.py [--columns N] COMMAND [ARG...]
"""
import fcntl
import os
import pty
import struct
import sys
import termios


def main(argv):
    columns = 200
    if argv[:1] == ["--columns"]:
        columns = int(argv[1])
        argv = argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    text = text.replace("\x1b[K", "<EL>").replace("\r", "<CR>")
    sys.stdout.write(text)
    sys.stdout.flush()
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
