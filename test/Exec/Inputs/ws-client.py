"""Usage: ws-client.py PORT [--path TARGET] STEP...

A minimal WebSocket client (RFC 6455, written against the standard library
only) for testing `strata serve` at the protocol level. Connects to
127.0.0.1:PORT, upgrades on TARGET (default `/ws`), then runs each STEP:

  JSON        send it as a text message and print the reply frame(s)
  @ping       send a control ping and print `control pong: PAYLOAD`
  @recv       print the next frame (e.g. a notice the server sends unasked)
  @close      send a close frame and print the server's close status
  @sigterm    send SIGTERM to the server (its pid is in SERVE_PID)
  @until-eof  print every frame (a close as `close STATUS`) until the
              server drops the connection, then `eof`
  @deep:N     send N `[` then N `]` (a hostile, deeply nested frame) and
              print the reply frame(s)
  @big-header send only the header of a text frame that claims 17 MiB and
              print the reply (the server's close status)
  @connect    open one more connection, which the steps after it use (the
              earlier ones stay open); prints `handshake refused: STATUS
              LINE` and the body when the server turns it away
  @is-open:N  print whether connection N (0: the first) is still open
  @use:N      make connection N (0: the first) the one the next steps use
  @resume     open one more connection as a client resuming does: with the
              last notification `seq` printed and the `stream_epoch` of the
              last `authenticated` (`/ws?last_seq=N&epoch=E`)
  @raw:B0:PAYLOAD
              send one hand-made frame whose first byte (FIN, reserved bits,
              opcode) is the hex B0, masked, and print the reply; PAYLOAD is
              text, or bytes when written `0x` and hex digits
  @raw-unmasked:B0:PAYLOAD
              the same, with the payload not masked (which RFC 6455 forbids
              a client)
  @raw-send:B0:PAYLOAD
              the same as @raw, without waiting for a reply (the first frame
              of a fragmented message)
  @vanish:JSON
              send JSON as a text message and close the socket at once,
              reading nothing: a client gone mid-request
  @vanish-half:JSON
              send the header and half the payload of that message, then
              close the socket

A reply frame prints as its JSON with sorted keys, minus fields whose value
changes from run to run (`execution_time_ms`, `session_id`, `timestamp_ms`,
`stream_epoch`). A `result_start` is followed by its chunks and `result_end`,
each printed on its own line (rows of chunks are summarised as `rows: N`, their `row_provenance` as
`LABEL: N`).
Change notifications (and `replay_gap` / `notifications_missed` notices)
that arrive before a reply are printed, each on its own line, and the reply
after them.

With `--http`, sends one plain (non-upgrade) GET of TARGET and prints the
status line and body instead; with `--raw-http TEXT`, sends TEXT (its
`\r\n` written as such) as the whole request and prints the same. With `--silent`, connects and sends nothing,
printing what arrives until the server closes the connection, then `eof`.
"""
import base64
import hashlib
import json
import os
import select
import signal
import socket
import struct
import sys

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
UNSTABLE = {"execution_time_ms", "session_id", "timestamp_ms", "stream_epoch"}
PUSHES = {"persistent_update", "rule_change", "kg_change", "schema_change"}
# Notices after which the connection goes on.
RESUMABLE = {"replay_gap", "notifications_missed"}


class Refused(Exception):
    pass


class Conn:
    def __init__(self, port, target):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
             "Upgrade: websocket\r\nConnection: Upgrade\r\n"
             f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.recv_some()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        if " 101 " not in lines[0]:
            while True:  # the server closes after a refusal
                try:
                    data = self.sock.recv(65536)
                except ConnectionResetError:
                    data = b""
                if not data:
                    break
                self.buf += data
            raise Refused(f"handshake refused: {lines[0]}\n{self.buf.decode().strip()}")
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        headers = {k.lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
        if headers.get("sec-websocket-accept") != accept:
            raise SystemExit("bad Sec-WebSocket-Accept")

    def recv_some(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        return data

    def need(self, n):
        while len(self.buf) < n:
            self.buf += self.recv_some()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, opcode, payload):
        self.sock.sendall(encode(0x80 | opcode, payload))

    def vanish(self, data):
        """Send data and close the socket without a close frame."""
        self.sock.sendall(data)
        self.sock.close()

    def frame(self):
        b0, b1 = self.need(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self.need(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self.need(8))[0]
        if b1 & 0x80:
            raise SystemExit("server frame is masked")
        return b0 & 0x0F, self.need(n)

    def message(self):
        """The next text message, or ('close', status)."""
        while True:
            opcode, payload = self.frame()
            if opcode == 0x1:
                return payload.decode()
            if opcode == 0x8:
                status = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                return ("close", status)
            if opcode == 0x9:
                self.send(0xA, payload)
            if opcode == 0xA:
                return ("pong", payload.decode())


def encode(first_byte, payload, masked=True):
    """A frame: first_byte holds FIN, the reserved bits and the opcode."""
    mask_bit = 0x80 if masked else 0
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", first_byte, mask_bit | n)
    elif n < 65536:
        header = struct.pack("!BBH", first_byte, mask_bit | 126, n)
    else:
        header = struct.pack("!BBQ", first_byte, mask_bit | 127, n)
    if not masked:
        return header + payload
    mask = os.urandom(4)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def raw_frame(step):
    """The frame of an @raw step: `@raw...:B0:PAYLOAD`."""
    kind, first, payload = step.split(":", 2)
    data = bytes.fromhex(payload[2:]) if payload.startswith("0x") else payload.encode()
    return encode(int(first, 16), data, masked=kind != "@raw-unmasked")


# The last notification number and stream epoch seen, for @resume.
SEEN = {"seq": 0, "epoch": ""}


def show(text):
    frame = json.loads(text)
    if frame.get("type") in PUSHES:
        SEEN["seq"] = max(SEEN["seq"], frame.get("seq", 0))
    if frame.get("type") == "authenticated":
        SEEN["epoch"] = frame.get("stream_epoch", "")
    for key in UNSTABLE:
        frame.pop(key, None)
    if frame.get("type") == "result_chunk":
        frame["rows"] = f"rows: {len(frame['rows'])}"
        if "row_provenance" in frame:
            labels = sorted(set(frame["row_provenance"]))
            frame["row_provenance"] = f"{','.join(labels)}: {len(frame['row_provenance'])}"
    print(json.dumps(frame, sort_keys=True))
    return frame


def print_reply(conn):
    while True:
        msg = conn.message()
        if isinstance(msg, tuple):
            print(f"{msg[0]} {msg[1]}")
            return
        frame = show(msg)
        if frame.get("type") in {"result_start", "result_chunk"} | PUSHES:
            continue
        if frame.get("type") == "notice" and frame.get("code") in RESUMABLE:
            continue
        return


def plain_http(port, target, request=None):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    if request is None:
        request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    sock.sendall(request.encode())
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.decode().partition("\r\n\r\n")
    print(head.split("\r\n")[0])
    print(body.strip())


def silent(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    while True:
        data = sock.recv(65536)
        if not data:
            print("eof")
            return
        print(data.decode(errors="replace"))


def is_open(conn):
    """False once the server has closed the connection (end of file)."""
    readable, _, _ = select.select([conn.sock], [], [], 0.5)
    return not readable or conn.sock.recv(1, socket.MSG_PEEK) != b""


def main():
    args = sys.argv[1:]
    port = int(args.pop(0))
    target = "/ws"
    if args[:1] == ["--path"]:
        target = args[1]
        args = args[2:]
    if args[:1] == ["--http"]:
        return plain_http(port, target)
    if args[:1] == ["--raw-http"]:
        return plain_http(port, target, args[1].replace("\\r\\n", "\r\n"))
    if args[:1] == ["--silent"]:
        return silent(port)
    try:
        conn = Conn(port, target)
    except Refused as refused:
        print(refused)
        return
    conns = [conn]
    for step in args:
        try:
            if step == "@connect":
                try:
                    conn = Conn(port, target)
                    conns.append(conn)
                except Refused as refused:
                    print(refused)
                continue
            if step == "@resume":
                conn = Conn(port, f"/ws?last_seq={SEEN['seq']}&epoch={SEEN['epoch']}")
                conns.append(conn)
                continue
            if step.startswith("@use:"):
                conn = conns[int(step.split(":", 1)[1])]
                continue
            if step.startswith("@is-open:"):
                n = int(step.split(":", 1)[1])
                print(f"connection {n}: {'open' if is_open(conns[n]) else 'closed'}")
                continue
            if step == "@big-header":
                length = 17 * 1024 * 1024
                conn.sock.sendall(struct.pack("!BBQ", 0x81, 0x80 | 127, length) + os.urandom(4))
                print_reply(conn)
                continue
            if step.startswith(("@raw:", "@raw-unmasked:", "@raw-send:")):
                conn.sock.sendall(raw_frame(step))
                if not step.startswith("@raw-send:"):
                    print_reply(conn)
                continue
            if step.startswith("@vanish:"):
                conn.vanish(encode(0x81, step.split(":", 1)[1].encode()))
                continue
            if step.startswith("@vanish-half:"):
                payload = step.split(":", 1)[1].encode()
                conn.vanish(encode(0x81, payload)[:-(len(payload) // 2)])
                continue
            if step == "@ping":
                conn.send(0x9, b"are you there")
                print("control pong: " + conn.message()[1])
            elif step == "@recv":
                msg = conn.message()
                if isinstance(msg, tuple):
                    print(f"{msg[0]} {msg[1]}")
                else:
                    show(msg)
            elif step == "@close":
                conn.send(0x8, struct.pack("!H", 1000))
                print_reply(conn)
            elif step == "@sigterm":
                os.kill(int(os.environ["SERVE_PID"]), signal.SIGTERM)
            elif step.startswith("@deep:"):
                n = int(step.split(":", 1)[1])
                conn.send(0x1, b"[" * n + b"]" * n)
                print_reply(conn)
            elif step == "@until-eof":
                while True:
                    print_reply(conn)
            else:
                conn.send(0x1, step.encode())
                print_reply(conn)
        except EOFError:
            print("eof")
            return


if __name__ == "__main__":
    main()
