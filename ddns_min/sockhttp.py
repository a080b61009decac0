"""HTTP/1.1 over socket + ssl, the one HTTP client on every runtime (CPython 2.7, 3.x, MicroPython).

Why not urllib on CPython: it follows redirects with the Authorization header, reads bodies whole
and bounds only each socket read, so a server trickling a byte every few seconds kept a run alive
for ever. Here one wall-clock deadline covers connect, proxy tunnel, TLS handshake, headers and body:
the socket is non-blocking after connect and every wait is a poll() for what is left of it, so a
trickle within one TLS record cannot stretch it either (CPython 2.7 and MicroPython restart their
own timeout per read). Headers are limited to MAX_HEAD bytes and bodies to MAX_BODY while they are
read. Redirects are returned as answers, never followed here.

TLS is always verified (ddns_min.cacerts): there is no fallback to unverified TLS or to plain HTTP.

Proxies (ddns_min.proxy): https is tunnelled with CONNECT, http sent in absolute form.
"""

import time

from ddns_min import compat
from ddns_min.errors import NetworkError

# Sized for a router: a 50-zone Cloudflare page is about 60 KB. MicroPython's heap on a 32-bit
# router is 1 MiB in all, and a body is held about three times over (bytes, text, JSON).
MAX_BODY = (128 if compat.MICROPYTHON else 256) * 1024
MAX_HEAD = 16 * 1024


def split_url(url):
    """-> (scheme, host, port, path with query)."""
    scheme, _, rest = url.partition("://")
    hostport, slash, path = rest.partition("/")
    if "?" in hostport:
        hostport, _, query = hostport.partition("?")
        path = "?" + query
    path = slash + path if slash else (path if path.startswith("?") else "")
    hostport = hostport.split("#", 1)[0].rsplit("@", 1)[-1]
    port = 443 if scheme == "https" else 80
    if hostport.startswith("["):
        host, _, tail = hostport[1:].partition("]")
        if tail.startswith(":"):
            port = int(tail[1:])
    elif ":" in hostport:
        host, _, p = hostport.rpartition(":")
        port = int(p)
    else:
        host = hostport
    if not path or path[0] != "/":
        path = "/" + path
    if not 0 < port < 65536:
        raise ValueError("port")
    return scheme, host, port, path.split("#", 1)[0]


def _hostport(host, port, default):
    name = ("[%s]" % host) if ":" in host else host
    return name if port == default else "%s:%d" % (name, port)


def request(method, url, headers, body, timeout, cafile=None, proxy=None):
    """-> (status, lower-case headers, text). All of it within `timeout` seconds."""
    deadline = time.time() + timeout
    try:
        scheme, host, port, path = split_url(url)
    except ValueError:
        raise NetworkError("malformed URL for host %s"
                           % url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1])
    if scheme not in ("http", "https"):
        raise NetworkError("unsupported URL scheme for %s" % host)
    data = compat.to_bytes(body) if body is not None else b""
    hostport = _hostport(host, port, 443 if scheme == "https" else 80)
    from ddns_min.proxy import proxy_for
    via = proxy_for(scheme, host, proxy)
    target = path if via is None or scheme == "https" else "http://" + hostport + path
    lines = ["%s %s HTTP/1.1" % (method, target), "Connection: close",
             "Accept-Encoding: identity"]
    if "host" not in [k.lower() for k in headers]:
        lines.append("Host: " + hostport)
    if via is not None and via[2] and scheme == "http":
        lines.append("Proxy-Authorization: Basic " + via[2])
    for key in headers:
        lines.append("%s: %s" % (key, headers[key]))
    if body is not None:
        lines.append("Content-Length: %d" % len(data))
    head = compat.to_bytes("\r\n".join(lines) + "\r\n\r\n")
    conn = _Conn(host, deadline, timeout)
    try:
        if via is None:
            conn.open(host, port)
        else:
            conn.open(via[0], via[1], " (proxy %s:%d)" % (via[0], via[1]))
            if scheme == "https":
                conn.tunnel(hostport, via[2])
        if scheme == "https":
            from ddns_min import cacerts
            conn.tls(cacerts.context(cafile), host)
        conn.send(head + data)
        return _read_response(conn, host, method)
    except NetworkError:
        raise
    except compat.OS_ERRORS as exc:
        from ddns_min.cacerts import why as tls_why
        why = tls_why(exc) if conn.stage == "TLS with" else _why(exc)
        raise NetworkError("%s %s failed: %s" % (conn.stage, host, why))
    except ValueError as exc:  # MicroPython: hostname mismatch and other TLS refusals
        from ddns_min.cacerts import why as tls_why
        raise NetworkError("TLS with %s failed: %s" % (host, tls_why(exc)))
    finally:
        conn.close()


def _why(exc):
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


class _Conn(object):
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
            raise NetworkError("cannot resolve %s%s: %s" % (host, label, _why(exc)))
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
        raise NetworkError("cannot connect to %s port %d%s: %s" % (host, port, label, _why(error)))

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

    def tunnel(self, hostport, auth):
        """CONNECT through an http proxy; anything but 2xx is the proxy's refusal."""
        extra = "Proxy-Authorization: Basic %s\r\n" % auth if auth else ""
        self.send(compat.to_bytes("CONNECT %s HTTP/1.1\r\nHost: %s\r\n%s\r\n"
                                  % (hostport, hostport, extra)))
        status, _ = _read_head(self, self.host + " (via proxy)")
        if not 200 <= status < 300:
            raise NetworkError("the proxy refused a tunnel to %s: HTTP %d" % (self.host, status))
        self.buf = b""

    def tls(self, ctx, host):
        self.stage = "TLS with"
        try:
            self.stream = ctx.wrap_socket(self.raw, server_hostname=host,
                                          do_handshake_on_connect=False)
        except TypeError:  # MicroPython 1.20's ssl.wrap_socket: a blocking handshake
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

    def send(self, data):
        view = memoryview(data)
        while len(view):
            try:
                sent = self.stream.write(view) if hasattr(self.stream, "write") else \
                    self.stream.send(view)
            except Exception as exc:
                kind = _would_block(exc)
                if kind is None:
                    raise
                self.wait(kind)
                continue
            if sent is None:  # MicroPython: would block
                self.wait("w")
                continue
            view = view[sent:]
        if self.stage == "TLS with":
            self.stage = "connection to"

    def chunk(self):
        """What arrives next (b"" at the end of the stream), waiting at most until the deadline."""
        while True:
            self.left()
            try:
                chunk = self.stream.read(4096) if hasattr(self.stream, "read") else \
                    self.stream.recv(4096)
            except Exception as exc:
                kind = _would_block(exc)
                if kind is None:
                    raise
                self.wait(kind)
                continue
            if chunk is None:  # MicroPython: would block
                self.wait("r")
                continue
            return chunk

    def more(self, limit, what):
        """Add what arrives next to self.buf; False at the end of the stream."""
        chunk = self.chunk()
        if not chunk:
            return False
        self.buf += chunk
        if len(self.buf) > limit:
            raise _too_big(self.host, limit, what)
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
            raise _too_big(self.host, limit)
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


def _too_big(host, limit, what="the answer"):
    return NetworkError("%s from %s is larger than %d KiB; not reading it"
                        % (what, host, limit // 1024))


def _seconds(value):
    value = round(value, 1)
    return int(value) if value == int(value) else value


def _read_head(conn, host):
    """-> (status, lower-case headers), at most MAX_HEAD bytes in all."""
    status_line = conn.line(MAX_HEAD + 4096, "the header")
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit() or \
            len(parts[1]) != 3:
        raise NetworkError("%s did not answer with HTTP" % host)
    status, headers, size = int(parts[1]), {}, len(status_line)
    while True:
        line = conn.line(MAX_HEAD + 4096 - size, "the header")
        size += len(line)
        if not line:
            raise NetworkError("the answer from %s was cut short" % host)
        if line in (b"\r\n", b"\n"):
            return status, headers
        key, _, value = compat.to_text(line).partition(":")
        headers[key.strip().lower()] = value.strip()


def _read_response(conn, host, method):
    status, headers = _read_head(conn, host)
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return status, headers, ""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        parts, size = [], 0
        while True:
            size_line = compat.to_text(conn.line(8192, "a chunk header")).split(";")[0].strip()
            try:
                chunk = int(size_line, 16)
            except ValueError:
                raise NetworkError("%s sent a broken chunked answer" % host)
            if chunk < 0 or size + chunk > MAX_BODY:
                raise _too_big(host, MAX_BODY)
            if chunk == 0:
                break
            parts.append(conn.take(chunk, chunk))
            size += chunk
            conn.line(8192, "a chunk header")
        body = b"".join(parts)
    elif "content-length" in headers:
        try:
            length = int(headers["content-length"])
        except ValueError:
            raise NetworkError("%s sent a broken Content-Length" % host)
        if length < 0 or length > MAX_BODY:
            raise _too_big(host, MAX_BODY)
        body = conn.take(length, length)
    else:
        body = conn.take(None, MAX_BODY)
    return status, headers, compat.to_text(body)
