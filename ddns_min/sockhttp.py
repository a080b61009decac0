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
from ddns_min.conn import Conn, too_big, why as socket_why
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
    conn = Conn(host, deadline, timeout)
    try:
        if via is None:
            conn.open(host, port)
        else:
            conn.open(via[0], via[1], " (proxy %s:%d)" % (via[0], via[1]))
            if scheme == "https":
                _tunnel(conn, hostport, via[2])
        if scheme == "https":
            from ddns_min import cacerts
            conn.tls(cacerts.context(cafile), host)
        conn.send(head + data)
        return _read_response(conn, host, method)
    except NetworkError:
        raise
    except compat.OS_ERRORS as exc:
        from ddns_min.cacerts import why as tls_why
        why = tls_why(exc) if conn.stage == "TLS with" else socket_why(exc)
        raise NetworkError("%s %s failed: %s" % (conn.stage, host, why))
    except ValueError as exc:  # MicroPython: hostname mismatch and other TLS refusals
        from ddns_min.cacerts import why as tls_why
        raise NetworkError("TLS with %s failed: %s" % (host, tls_why(exc)))
    finally:
        conn.close()


def _tunnel(conn, hostport, auth):
    """CONNECT through an http proxy; anything but 2xx is the proxy's refusal."""
    extra = "Proxy-Authorization: Basic %s\r\n" % auth if auth else ""
    conn.send(compat.to_bytes("CONNECT %s HTTP/1.1\r\nHost: %s\r\n%s\r\n"
                              % (hostport, hostport, extra)))
    status, _ = _read_head(conn, conn.host + " (via proxy)")
    if not 200 <= status < 300:
        raise NetworkError("the proxy refused a tunnel to %s: HTTP %d" % (conn.host, status))
    conn.buf = b""


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
                raise too_big(host, MAX_BODY)
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
            raise too_big(host, MAX_BODY)
        body = conn.take(length, length)
    else:
        body = conn.take(None, MAX_BODY)
    return status, headers, compat.to_text(body)
