"""Base of the API emulators: a threaded HTTP/1.1 server on 127.0.0.1 that records every request
and can be told to misbehave (fault injection) for the next requests."""
import json
import socket
import struct
import threading
import time

try:
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from socketserver import ThreadingMixIn
    from urllib.parse import parse_qsl, urlsplit
except ImportError:  # Python 2
    from BaseHTTPServer import BaseHTTPRequestHandler, HTTPServer
    from SocketServer import ThreadingMixIn
    from urlparse import parse_qsl, urlsplit


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def loopback_socket(kind, family=socket.AF_INET):
    """-> (socket, port): a TCP or UDP socket bound to a free port on loopback."""
    sock = socket.socket(family, kind)
    sock.bind(("127.0.0.1" if family == socket.AF_INET else "::1", 0))
    return sock, sock.getsockname()[1]


def in_background(target):
    thread = threading.Thread(target=target)
    thread.daemon = True
    thread.start()
    return thread


def read_head(conn):
    """The bytes of a request up to the blank line after its headers (or until the peer closes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class Request(object):
    """One recorded request: method, path, query, headers (lower-case names), body, form, json."""

    def __init__(self, method, target, headers, body):
        parts = urlsplit(target)
        self.method, self.path, self.target = method, parts.path, target
        self.query = dict((text(k), text(v)) for k, v in parse_qsl(parts.query, True))
        self.headers = dict((k.lower(), v) for k, v in headers.items())
        self.raw = body
        self.body = body.decode("utf-8", "replace")
        self.form = self.json = None
        ctype = self.headers.get("content-type", "")
        if ctype.startswith("application/x-www-form-urlencoded"):
            # Python 3 decodes %-escapes as UTF-8 from text; Python 2 gives bytes to decode.
            raw = body if str is bytes else self.body
            self.form = dict((text(k), text(v)) for k, v in parse_qsl(raw, True))
        elif body:
            try:
                self.json = json.loads(self.body)
            except ValueError:
                pass

    def __repr__(self):
        return "<%s %s>" % (self.method, self.path)


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _any(self):
        self.server.emulator._dispatch(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

    def log_message(self, *args):
        pass


class Emulator(object):
    base = ""

    def __init__(self):
        self.requests = []
        self.faults = []
        self.lock = threading.Lock()
        self.server = None

    # -- life cycle
    def start(self):
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.emulator = self
        thread = threading.Thread(target=self.server.serve_forever, args=(0.05,))
        thread.daemon = True
        thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return "http://127.0.0.1:%d%s" % (self.server.server_address[1], self.base)

    # -- fault injection
    def fail_next(self, status=500, body="", headers=None, content_type="text/plain", delay=0.0,
                  reset=False, count=1, method=None, path=None):
        """The next `count` requests (of `method`, to a path ending in `path`, if given) get this
        answer instead; delay: hang first; reset: drop the connection without answering."""
        for _ in range(count):
            self.faults.append({"status": status, "body": body, "headers": headers or {},
                                "content_type": content_type, "delay": delay, "reset": reset,
                                "method": method, "path": path})

    def _fault_for(self, req):
        for fault in self.faults:
            if fault["method"] in (None, req.method) and \
                    (fault["path"] is None or req.path.endswith(fault["path"])):
                self.faults.remove(fault)
                return fault
        return None

    # -- serving
    def handle(self, req):
        """-> (status, headers, body text). Subclasses implement the API."""
        raise NotImplementedError

    def _dispatch(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        req = Request(handler.command, handler.path, dict(handler.headers.items()), body)
        with self.lock:
            self.requests.append(req)
            fault = self._fault_for(req)
            if fault is None:
                try:
                    status, headers, payload = self.handle(req)
                except Exception:  # an emulator bug: show it in the test, do not hang up
                    import traceback
                    status, headers, payload = 599, {}, traceback.format_exc()
        if fault is not None:
            if fault["delay"]:
                time.sleep(fault["delay"])
            if fault["reset"]:
                handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                              struct.pack("ii", 1, 0))
                handler.close_connection = True
                handler.connection.close()
                return
            status, payload = fault["status"], fault["body"]
            headers = dict(fault["headers"])
            headers.setdefault("Content-Type", fault["content_type"])
        data = payload.encode("utf-8") if not isinstance(payload, bytes) else payload
        try:
            handler.send_response(status)
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.send_header("Connection", "close")
            handler.end_headers()
            handler.wfile.write(data)
        except (IOError, OSError):
            pass
        handler.close_connection = True


class EchoServer(Emulator):
    """Answers every request with a fixed body: a stand-in for "what is my IP" services."""

    def __init__(self, body, status=200, content_type="text/plain"):
        super(EchoServer, self).__init__()
        self.answer = (status, {"Content-Type": content_type}, body)

    def handle(self, req):
        return self.answer

    @property
    def url(self):
        return "http://127.0.0.1:%d/" % self.server.server_address[1]


class ProxyEmulator(Emulator):
    """A plain HTTP forward proxy: takes absolute-form requests ("GET http://host/path"), passes
    them on and records them, so a test can see that the client went through it."""

    def handle(self, req):
        try:
            from urllib.request import Request as Out, urlopen
            from urllib.error import HTTPError
        except ImportError:  # Python 2
            from urllib2 import Request as Out, urlopen, HTTPError
        if not req.target.startswith("http://"):
            return 400, {"Content-Type": "text/plain"}, "absolute-form requests only"
        headers = dict((k, v) for k, v in req.headers.items()
                       if k not in ("host", "proxy-connection", "connection", "content-length"))
        out = Out(req.target, data=req.raw or None, headers=headers)
        out.get_method = lambda: req.method
        try:
            resp = urlopen(out, timeout=5)
        except HTTPError as exc:
            resp = exc
        return resp.getcode(), {"Content-Type": resp.info().get("Content-Type")}, resp.read()
