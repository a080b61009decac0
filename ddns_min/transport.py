"""One HTTP request, the same way on every runtime.

    request(method, url, headers, body, timeout, cafile) -> (status, headers, text)

`headers` in the answer has lower-case names. HTTP error statuses are answers, not exceptions;
anything that is no answer (DNS, connect, TLS, timeout) raises NetworkError with the host named and
never the query string (it can hold a secret). CPython uses urllib; MicroPython, which has none,
uses ddns_min.sockhttp over socket + ssl. Both are imported only when a request is made, so a run
with nothing to do never pays for ssl.
"""

from ddns_min import compat
from ddns_min.errors import NetworkError

DEFAULT_TIMEOUT = 10


def host_of(url):
    """'https://user@host:443/path?q' -> 'host' (for messages: never the path or query)."""
    rest = url.split("://", 1)[-1]
    for sep in "/?#":
        rest = rest.split(sep, 1)[0]
    rest = rest.rsplit("@", 1)[-1]
    if rest.startswith("["):
        return rest[1:].split("]", 1)[0]
    return rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest


def check_clock():
    """A router boots with its clock at 1970 until NTP answers; no certificate is valid then.
    Say so plainly (exit 1, the next run will work) instead of failing TLS in confusing ways."""
    import time
    from ddns_min import RELEASED
    if time.time() < RELEASED:
        from ddns_min.log import timestamp
        raise NetworkError("the system clock says %s, before this release of ddns_min: TLS "
                           "certificates cannot be checked until the clock is set (NTP); "
                           "try again later" % timestamp())


def no_ca_error(path):
    return NetworkError("no CA certificates found (%s); install them (OpenWrt: opkg install "
                        "ca-bundle; Debian: apt install ca-certificates) or set \"ssl\" to a "
                        "CA bundle" % path)


def request(method, url, headers=None, body=None, timeout=DEFAULT_TIMEOUT, cafile=None,
            proxy=None):
    """proxy: None or "SYSTEM" (the environment's, as urllib does), "DIRECT", or "HOST:PORT"
    (CPython only; config refuses proxies on MicroPython)."""
    if url.startswith("https:"):
        check_clock()
    if compat.MICROPYTHON:
        from ddns_min import sockhttp
        return sockhttp.request(method, url, headers or {}, body, timeout, cafile)
    return _urllib_request(method, url, headers or {}, body, timeout, cafile, proxy)


def _urllib_request(method, url, headers, body, timeout, cafile, proxy=None):
    import socket
    try:
        import urllib.request as urlreq
        from urllib.error import HTTPError, URLError
    except ImportError:  # Python 2
        import urllib2 as urlreq
        from urllib2 import HTTPError, URLError
    data = compat.to_bytes(body) if body is not None else None
    req = urlreq.Request(url, data=data, headers=headers)
    req.get_method = lambda: method
    handlers = []
    if proxy == "DIRECT":
        handlers.append(urlreq.ProxyHandler({}))
    elif proxy and proxy != "SYSTEM":
        handlers.append(urlreq.ProxyHandler({"http": "http://" + proxy,
                                             "https": "http://" + proxy}))
    if url.startswith("https:"):
        import ssl
        if cafile is not None and not compat.file_exists(cafile):
            raise no_ca_error(cafile)
        context = ssl.create_default_context(cafile=cafile)
        handlers.append(urlreq.HTTPSHandler(context=context))
    opener = urlreq.build_opener(*handlers)
    host = host_of(url)
    try:
        resp = opener.open(req, timeout=timeout)
        try:
            status, resp_headers, raw = resp.getcode(), resp.info(), resp.read()
        finally:
            resp.close()
    except HTTPError as exc:
        status, resp_headers = exc.code, exc.info()
        try:
            raw = exc.read()
        except compat.OS_ERRORS + (socket.timeout,):
            raw = b""
    except URLError as exc:
        raise NetworkError("cannot reach %s: %s" % (host, _reason(exc.reason)))
    except socket.timeout:
        raise NetworkError("no answer from %s within %s s" % (host, timeout))
    except compat.OS_ERRORS as exc:
        raise NetworkError("connection to %s failed: %s" % (host, _reason(exc)))
    except ValueError as exc:  # e.g. http.client.InvalidURL, bad status line
        raise NetworkError("bad answer from %s: %s" % (host, exc))
    except Exception as exc:  # http.client.HTTPException and kin: a broken reply, not our bug
        if exc.__class__.__module__ in ("http.client", "httplib"):
            raise NetworkError("broken answer from %s: %s" % (host, exc.__class__.__name__))
        raise
    names = {}
    for key in resp_headers.keys():
        names[key.lower()] = resp_headers.get(key)
    return status, names, compat.to_text(raw)


def _reason(reason):
    text = str(getattr(reason, "strerror", None) or reason)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return "TLS certificate not trusted (" + text + ")"
    return text
