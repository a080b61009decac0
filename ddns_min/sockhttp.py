"""HTTP/1.1 over socket + ssl, for MicroPython (no urllib there). Also runs on CPython, so the
same tests cover it on both.

TLS is always verified: CERT_REQUIRED with the server name checked against the certificate, CAs
from `cafile` or the system bundle (MicroPython's ssl differs by version: see mptls). There is no
fallback to unverified TLS or to plain HTTP: without CAs or without ssl the request fails with
what to install.
"""

import socket

from ddns_min import compat
from ddns_min.errors import NetworkError

MAX_BODY = 1 << 20  # small devices: no answer we want is bigger
CA_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
              "/etc/ssl/cert.pem", "/etc/ssl/ca-bundle.pem", "/usr/local/share/certs/ca-root-nss.crt",
              "/etc/pki/tls/cacert.pem")
_contexts = {}


def split_url(url):
    """-> (scheme, host, port, path with query)."""
    scheme, _, rest = url.partition("://")
    hostport, slash, path = rest.partition("/")
    if "?" in hostport:
        hostport, _, query = hostport.partition("?")
        path = "?" + query
    path = slash + path if slash else (path if path.startswith("?") else "")
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
    return scheme, host, port, path


def request(method, url, headers, body, timeout, cafile=None):
    try:
        scheme, host, port, path = split_url(url)
    except ValueError:
        from ddns_min.transport import host_of
        raise NetworkError("malformed URL for host %s" % host_of(url))
    if scheme not in ("http", "https"):
        raise NetworkError("unsupported URL scheme for %s" % host)
    data = compat.to_bytes(body) if body is not None else b""
    default_port = 443 if scheme == "https" else 80
    lines = ["%s %s HTTP/1.1" % (method, path), "Connection: close",
             "Accept-Encoding: identity"]
    if "host" not in [k.lower() for k in headers]:
        lines.append("Host: %s" % ((("[%s]" % host) if ":" in host else host) +
                                   ("" if port == default_port else ":%d" % port)))
    for key in headers:
        lines.append("%s: %s" % (key, headers[key]))
    if body is not None:
        lines.append("Content-Length: %d" % len(data))
    head = compat.to_bytes("\r\n".join(lines) + "\r\n\r\n")
    sock = _connect(host, port, timeout)
    try:
        if scheme == "https":
            sock = _wrap_tls(sock, host, cafile)
        _send(sock, head + data)
        return _read_response(sock, host, method)
    except NetworkError:
        raise
    except compat.OS_ERRORS as exc:
        raise NetworkError("connection to %s failed: %s" % (host, _why(exc)))
    except ValueError as exc:  # MicroPython: hostname mismatch and other TLS refusals
        raise NetworkError("TLS with %s failed: %s" % (host, exc))
    finally:
        try:
            sock.close()
        except compat.OS_ERRORS:
            pass


def _why(exc):
    if getattr(exc, "args", None) and exc.args and exc.args[0] in (110, 116, "timed out"):
        return "timed out"
    text = str(exc)
    return text or exc.__class__.__name__


def _connect(host, port, timeout):
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    except compat.OS_ERRORS as exc:
        raise NetworkError("cannot resolve %s: %s" % (host, _why(exc)))
    error = None
    for info in infos:
        sock = socket.socket(info[0], info[1], info[2])
        try:
            sock.settimeout(timeout)
            sock.connect(info[-1])
            return sock
        except compat.OS_ERRORS as exc:
            error = exc
            sock.close()
    raise NetworkError("cannot connect to %s port %d: %s" % (host, port, _why(error)))


def _context(cafile):
    """An SSL context that verifies the server against `cafile` or the system bundle."""
    if cafile in _contexts:
        return _contexts[cafile]
    try:
        import ssl
    except ImportError:
        raise NetworkError("this Python has no ssl module: install one with TLS (OpenWrt: "
                           "micropython with ssl, or python3-openssl); on MicroPython keep "
                           "\".frozen\" in MICROPYPATH, where its ssl module lives")
    path = cafile
    if path is None:
        for candidate in CA_BUNDLES:
            if compat.file_exists(candidate):
                path = candidate
                break
    if path is None or not compat.file_exists(path):
        from ddns_min.transport import no_ca_error
        raise no_ca_error(path or ", ".join(CA_BUNDLES))
    if not compat.MICROPYTHON:
        ctx = ssl.create_default_context(cafile=path)
    else:
        from ddns_min import mptls
        ctx = mptls.context(ssl, path)
    _contexts[cafile] = ctx
    return ctx


def _wrap_tls(sock, host, cafile):
    ctx = _context(cafile)
    try:
        return ctx.wrap_socket(sock, server_hostname=host)
    except compat.OS_ERRORS as exc:
        raise NetworkError("TLS with %s failed: %s" % (host, _tls_why(exc)))
    except ValueError as exc:
        raise NetworkError("TLS with %s failed: %s" % (host, _tls_why(exc)))


def _tls_why(exc):
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text or \
            "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED" in text or "-9984" in text:
        return "certificate not trusted or not for this host (%s)" % text
    return text or exc.__class__.__name__


def _send(sock, data):
    view = memoryview(data)
    while len(view):
        sent = sock.write(view) if hasattr(sock, "write") else sock.send(view)
        if sent is None:
            sent = len(view)
        view = view[sent:]


class _Reader(object):
    """Buffered reads over a socket that may offer only read()/recv() (MicroPython ssl)."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def _more(self):
        chunk = self.sock.read(4096) if hasattr(self.sock, "read") else self.sock.recv(4096)
        if not chunk:
            return False
        self.buf += chunk
        if len(self.buf) > MAX_BODY + 65536:
            raise NetworkError("answer too large")
        return True

    def line(self):
        while b"\n" not in self.buf:
            if not self._more():
                break
        i = self.buf.find(b"\n")
        if i < 0:
            out, self.buf = self.buf, b""
        else:
            out, self.buf = self.buf[:i + 1], self.buf[i + 1:]
        return out

    def exactly(self, n):
        while len(self.buf) < n:
            if not self._more():
                raise NetworkError("answer cut short")
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def rest(self):
        while self._more():
            pass
        out, self.buf = self.buf, b""
        return out


def _read_response(sock, host, method):
    reader = _Reader(sock)
    status_line = reader.line()
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise NetworkError("%s did not answer with HTTP" % host)
    status = int(parts[1])
    headers = {}
    while True:
        line = reader.line()
        if not line or line in (b"\r\n", b"\n"):
            break
        key, _, value = compat.to_text(line).partition(":")
        headers[key.strip().lower()] = value.strip()
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return status, headers, ""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        while True:
            size_line = compat.to_text(reader.line()).split(";")[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise NetworkError("%s sent a broken chunked answer" % host)
            if size == 0:
                break
            body += reader.exactly(size)
            reader.line()
            if len(body) > MAX_BODY:
                raise NetworkError("answer from %s too large" % host)
    elif "content-length" in headers:
        try:
            length = int(headers["content-length"])
        except ValueError:
            raise NetworkError("%s sent a broken Content-Length" % host)
        if length > MAX_BODY:
            raise NetworkError("answer from %s too large" % host)
        body = reader.exactly(length)
    else:
        body = reader.rest()
    return status, headers, compat.to_text(body)
