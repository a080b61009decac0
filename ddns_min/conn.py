"""A connection whose every wait ends at one deadline: the socket is non-blocking after connect
and each wait is a poll() for what is left of the time, so neither a trickling server nor a TLS
record read byte by byte can stretch a request (CPython 2.7 and MicroPython restart their own
timeouts per read). Used by sockhttp."""

import time

from ddns_min import compat
from ddns_min.errors import NetworkError


def why(exc):
    if getattr(exc, "args", None) and exc.args and exc.args[0] in (110, 116, "timed out"):
        return "timed out"
    text = str(exc)
    return text or exc.__class__.__name__


def _would_block(exc):
    """"r"/"w" when a non-blocking socket (or ssl on it) must wait, else None."""
    name = exc.__class__.__name__
    if name == "SSLWantReadError":
        return "r"
    if name == "SSLWantWriteError":
        return "w"
    if isinstance(exc, compat.OS_ERRORS) and exc.args and exc.args[0] in (11, 35, 115, 36):
        return "r"  # EAGAIN/EWOULDBLOCK (Linux, BSD), EINPROGRESS
    return None


class Conn(object):
    """A non-blocking socket whose every wait ends at one deadline."""

    def __init__(self, host, deadline, timeout):
        self.host, self.deadline, self.timeout = host, deadline, timeout
        self.raw = self.stream = None
        self.buf = b""
        self.stage = "connection to"

    def left(self):
        left = self.deadline - time.time()
        if left <= 0:
            raise NetworkError("no complete answer from %s within %s s"
                               % (self.host, _seconds(self.timeout)))
        return left

    def wait(self, kind):
        import select
        poller = select.poll()
        poller.register(self.stream, select.POLLIN if kind == "r" else select.POLLOUT)
        poller.poll(int(self.left() * 1000) + 1)
        self.left()

    def open(self, host, port, label=""):
        import socket
        try:
            infos = self.resolve(socket, host, port)
        except compat.OS_ERRORS as exc:
            raise NetworkError("cannot resolve %s%s: %s" % (host, label, why(exc)))
        if infos is None:
            raise NetworkError("cannot resolve %s%s within %s s" % (host, label,
                                                                   _seconds(self.timeout)))
        error = None
        for info in infos:
            sock = socket.socket(info[0], info[1], info[2])
            try:
                sock.settimeout(self.left())
                sock.connect(info[-1])
                sock.setblocking(False)
                self.raw = self.stream = sock
                return
            except compat.OS_ERRORS as exc:
                error = exc
                sock.close()
        self.left()
        raise NetworkError("cannot connect to %s port %d%s: %s" % (host, port, label, why(error)))

    def resolve(self, socket, host, port):
        """getaddrinfo, given up at the deadline on CPython (a thread: the resolver has only its
        own timeouts). MicroPython has no threads here: its lookups are bounded by the system
        resolver's timeouts (resolv.conf) alone."""
        from ddns_min import addr
        if compat.MICROPYTHON or addr.family_of(host) or host == "localhost":
            return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        import threading
        box = []

        def work():
            try:
                box.append(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
            except Exception as exc:  # handed to the caller below
                box.append(exc)
        thread = threading.Thread(target=work)
        thread.daemon = True
        thread.start()
        thread.join(self.left())
        if not box:
            return None
        if isinstance(box[0], Exception):
            raise box[0]
        return box[0]

    def tls(self, ctx, host):
        self.stage = "TLS with"
        try:
            self.stream = ctx.wrap_socket(self.raw, server_hostname=host,
                                          do_handshake_on_connect=False)
        except TypeError:  # an ssl without do_handshake_on_connect: a blocking handshake
            self.raw.settimeout(self.left())
            self.stream = ctx.wrap_socket(self.raw, server_hostname=host)
            self.raw.setblocking(False)
        handshake = getattr(self.stream, "do_handshake", None)
        if handshake is None:  # MicroPython: the first write does it, as bounded as any write
            return
        while True:
            try:
                handshake()
                break
            except Exception as exc:
                kind = _would_block(exc)
                if kind is None:
                    raise
                self.wait(kind)
        self.stage = "connection to"

    def _io(self, op, blocked):
        """op() until it neither says "would block" (an exception, or None from MicroPython's
        sockets) nor the deadline has passed; `blocked`: "r" or "w", what None waits for."""
        while True:
            self.left()
            try:
                result = op()
            except Exception as exc:
                kind = _would_block(exc)
                if kind is None:
                    raise
                self.wait(kind)
                continue
            if result is None:
                self.wait(blocked)
                continue
            return result

    def send(self, data):
        view = memoryview(data)
        write = self.stream.write if hasattr(self.stream, "write") else self.stream.send
        while len(view):
            view = view[self._io(lambda: write(view), "w"):]
        if self.stage == "TLS with":
            self.stage = "connection to"

    def chunk(self):
        """What arrives next (b"" at the end of the stream), waiting at most until the deadline."""
        read = self.stream.read if hasattr(self.stream, "read") else self.stream.recv
        return self._io(lambda: read(4096), "r")

    def more(self, limit, what):
        """Add what arrives next to self.buf; False at the end of the stream."""
        chunk = self.chunk()
        if not chunk:
            return False
        self.buf += chunk
        if len(self.buf) > limit:
            raise too_big(self.host, limit, what)
        return True

    def take(self, n, limit):
        """n bytes (None: up to the end of the stream), refused as soon as more than `limit`
        arrive. Collected as a list: one join, no growing copies (MicroPython's heap)."""
        parts, size = [self.buf], len(self.buf)
        self.buf = b""
        while n is None or size < n:
            if size > limit:
                break
            chunk = self.chunk()
            if not chunk:
                if n is None:
                    break
                raise NetworkError("the answer from %s was cut short" % self.host)
            parts.append(chunk)
            size += len(chunk)
        if size > limit and (n is None or n > limit):
            raise too_big(self.host, limit)
        data = b"".join(parts)
        if n is not None and len(data) > n:
            data, self.buf = data[:n], data[n:]
        return data

    def line(self, limit, what):
        while b"\n" not in self.buf:
            if not self.more(limit, what):
                break
        i = self.buf.find(b"\n")
        if i < 0:
            out, self.buf = self.buf, b""
        else:
            out, self.buf = self.buf[:i + 1], self.buf[i + 1:]
        return out

    def close(self):
        for sock in (self.stream, self.raw):
            if sock is not None:
                try:
                    sock.close()
                except compat.OS_ERRORS:
                    pass


def too_big(host, limit, what="the answer"):
    return NetworkError("%s from %s is larger than %d KiB; not reading it"
                        % (what, host, limit // 1024))


def _seconds(value):
    value = round(value, 1)
    return int(value) if value == int(value) else value
