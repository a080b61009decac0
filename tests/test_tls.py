"""TLS is always verified, by urllib on CPython and by our socket client on CPython and MicroPython:
a local HTTPS server with a test CA made here by the `openssl` command."""
import json
import os
import socket
import ssl
import subprocess

import pytest

from clirun import ROOT, clean_env
from fake_http import in_background, loopback_socket, read_head
from interpreters import require_micropython

from ddns_min import sockhttp, transport
from ddns_min.errors import NetworkError

SECRET = "tls-secret-login-token"


def openssl(*args):
    subprocess.check_call(("openssl",) + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def make_cert(folder, name, ca, san):
    key, csr, crt, ext = [os.path.join(folder, name + e) for e in (".key", ".csr", ".crt", ".ext")]
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=%s\n" % san)
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key)
    openssl("req", "-new", "-key", key, "-subj", "/CN=" + name, "-out", csr)
    openssl("x509", "-req", "-in", csr, "-CA", ca + ".crt", "-CAkey", ca + ".key",
            "-CAcreateserial", "-days", "30", "-sha256", "-extfile", ext, "-out", crt)
    return crt, key


def make_ca(folder, name):
    base = os.path.join(folder, name)
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", base + ".key")
    openssl("req", "-x509", "-new", "-key", base + ".key", "-subj", "/CN=" + name, "-days", "30",
            "-sha256", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", base + ".crt")
    return base


@pytest.fixture(scope="module")
def pki(tmpdir_factory):
    folder = str(tmpdir_factory.mktemp("pki"))
    try:
        ca = make_ca(folder, "Test CA")
        other = make_ca(folder, "Unknown CA")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("the openssl command is needed to make test certificates")
    return {"ca": ca + ".crt",
            "good": make_cert(folder, "localhost", ca, "DNS:localhost,IP:127.0.0.1"),
            "unknown": make_cert(folder, "localhost-other", other, "DNS:localhost"),
            "wrong": make_cert(folder, "wrong.example", ca, "DNS:wrong.example")}


class TLSServer(object):
    """Answers one HTTPS request per connection; records the bytes of each request it read."""

    def __init__(self, cert):
        proto = getattr(ssl, "PROTOCOL_TLS_SERVER", ssl.PROTOCOL_SSLv23)
        self.ctx = ssl.SSLContext(proto)
        self.ctx.load_cert_chain(cert[0], cert[1])
        self.sock, self.port = loopback_socket(socket.SOCK_STREAM)
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.received = []
        self.running = True
        self.thread = in_background(self.serve)

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            try:
                conn.settimeout(5)
                tls = self.ctx.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, socket.error, OSError):
                conn.close()
                continue
            try:
                head, _, body = read_head(tls).partition(b"\r\n\r\n")
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        while len(body) < int(line.split(b":")[1]):
                            body += tls.recv(4096)
                self.received.append(head + b"\r\n\r\n" + body)
                payload = b'{"ok": true}'
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(payload) +
                            payload)
            except (ssl.SSLError, socket.error, OSError):
                pass
            finally:
                tls.close()

    def url(self, host="localhost"):
        return "https://%s:%d/zones?login_token=%s" % (host, self.port, SECRET)

    def close(self):
        self.running = False
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def server_for(pki):
    started = []

    def start(kind):
        server = TLSServer(pki[kind])
        started.append(server)
        return server
    yield start
    for server in started:
        server.close()


MP_SCRIPT = """
import json
from ddns_min import sockhttp
from ddns_min.errors import NetworkError
try:
    status, headers, text = sockhttp.request("POST", %r, {"Content-Type": "text/plain"},
                                             "body-bytes", 5, %r)
    print(json.dumps({"status": status, "text": text}))
except NetworkError as exc:
    print(json.dumps({"error": str(exc)}))
"""


def micropython_request(url, cafile):
    mp = require_micropython()
    env = clean_env(ROOT, {"MICROPYPATH": ROOT + ":.frozen"})
    out = subprocess.check_output([mp, "-c", MP_SCRIPT % (url, cafile)], env=env)
    return json.loads(out.decode("utf-8"))


def cpython_request(fn, url, cafile):
    try:
        status, headers, text = fn("POST", url, {"Content-Type": "text/plain"}, "body-bytes", 5,
                                   cafile)
        return {"status": status, "text": text}
    except NetworkError as exc:
        return {"error": str(exc)}


CLIENTS = ["urllib", "sockhttp", pytest.param("micropython", marks=pytest.mark.micropython)]


def call(client, url, cafile):
    if client == "micropython":
        return micropython_request(url, cafile)
    fn = transport.request if client == "urllib" else sockhttp.request
    return cpython_request(fn, url, cafile)


@pytest.mark.parametrize("client", CLIENTS)
def test_trusted_certificate_works(client, pki, server_for):
    server = server_for("good")
    result = call(client, server.url(), pki["ca"])
    assert result == {"status": 200, "text": '{"ok": true}'}, result
    [request] = server.received
    assert request.startswith(b"POST /zones?login_token=")
    assert request.endswith(b"body-bytes")


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("kind", ["unknown", "wrong"])
def test_untrusted_or_wrong_host_certificate_fails_before_sending(client, kind, pki, server_for):
    server = server_for(kind)
    result = call(client, server.url(), pki["ca"])
    assert "error" in result, result
    assert "localhost" in result["error"]
    assert SECRET not in result["error"]
    assert server.received == []  # not one byte of the request left the client


@pytest.mark.parametrize("client", CLIENTS)
def test_missing_ca_bundle_is_a_clear_error(client, server_for, tmpdir):
    server = server_for("good")
    missing = str(tmpdir.join("no-such-bundle.pem"))
    result = call(client, server.url(), missing)
    assert "error" in result, result
    assert server.received == []
    if client != "urllib":
        assert "CA" in result["error"] and "install" in result["error"]


def test_sockhttp_plain_http_chunked_and_errors(echo_server):
    echo = echo_server("81.2.69.142\n")
    status, headers, text = sockhttp.request("GET", echo.url, {}, None, 5)
    assert (status, text) == (200, "81.2.69.142\n")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with pytest.raises(NetworkError) as info:
        sockhttp.request("GET", "http://127.0.0.1:%d/x?token=%s" % (port, SECRET), {}, None, 2)
    assert "127.0.0.1" in str(info.value) and SECRET not in str(info.value)


def test_split_url():
    assert sockhttp.split_url("https://[::1]:8443/a?b=c") == ("https", "::1", 8443, "/a?b=c")
    assert sockhttp.split_url("http://example.com?x=1") == ("http", "example.com", 80, "/?x=1")
    assert sockhttp.split_url("https://example.com") == ("https", "example.com", 443, "/")


class RawServer(object):
    """Sends a canned raw HTTP answer (or nothing, to make the client wait)."""

    def __init__(self, answer, family=socket.AF_INET):
        self.sock, self.port = loopback_socket(socket.SOCK_STREAM, family)
        self.sock.listen(5)
        self.answer, self.seen = answer, []
        in_background(self.serve)

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except (OSError, socket.error):
                return
            conn.settimeout(5)
            try:
                self.seen.append(read_head(conn))
                if self.answer is None:
                    import time
                    time.sleep(6)  # never answer within the client's timeout
                else:
                    conn.sendall(self.answer)
            except (OSError, socket.error):
                pass
            conn.close()

    def close(self):
        self.sock.close()


CHUNKED = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
           b"4\r\n81.2\r\n8;ext=1\r\n.69.142\n\r\n0\r\n\r\n")
UNTIL_CLOSE = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n2a02:ec0::1\n"

RAW_SCRIPT = """
import json
from ddns_min import sockhttp
from ddns_min.errors import NetworkError
try:
    status, headers, text = sockhttp.request("GET", %r, {}, None, 2)
    print(json.dumps({"status": status, "text": text}))
except NetworkError as exc:
    print(json.dumps({"error": str(exc)}))
"""


def raw_call(runtime, url):
    if runtime == "micropython":
        env = clean_env(ROOT, {"MICROPYPATH": ROOT + ":.frozen"})
        out = subprocess.check_output([require_micropython(), "-c", RAW_SCRIPT % url], env=env)
        return json.loads(out.decode("utf-8"))
    try:
        status, headers, text = sockhttp.request("GET", url, {}, None, 2)
        return {"status": status, "text": text}
    except NetworkError as exc:
        return {"error": str(exc)}


RUNTIMES = ["cpython", pytest.param("micropython", marks=pytest.mark.micropython)]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_sockhttp_chunked_until_close_ipv6_and_timeout(runtime):
    servers = [RawServer(CHUNKED), RawServer(UNTIL_CLOSE), RawServer(None)]
    try:
        chunked = raw_call(runtime, "http://127.0.0.1:%d/ip" % servers[0].port)
        assert chunked == {"status": 200, "text": "81.2.69.142\n"}
        assert servers[0].seen[0].startswith(b"GET /ip HTTP/1.1\r\n")
        assert b"\r\nHost: 127.0.0.1:%d\r\n" % servers[0].port in servers[0].seen[0]
        assert raw_call(runtime, "http://127.0.0.1:%d/" % servers[1].port)["text"] == \
            "2a02:ec0::1\n"
        import time
        start = time.time()
        hung = raw_call(runtime, "http://127.0.0.1:%d/?token=%s" % (servers[2].port, SECRET))
        assert "error" in hung and "127.0.0.1" in hung["error"] and SECRET not in hung["error"]
        assert time.time() - start < 5
    finally:
        for server in servers:
            server.close()
    try:
        v6 = RawServer(UNTIL_CLOSE, socket.AF_INET6)
    except (OSError, socket.error):
        pytest.skip("no IPv6 loopback here")
    try:
        answer = raw_call(runtime, "http://[::1]:%d/" % v6.port)
        assert answer["text"] == "2a02:ec0::1\n", answer
        assert b"\r\nHost: [::1]:%d\r\n" % v6.port in v6.seen[0]
    finally:
        v6.close()


@pytest.mark.micropython
def test_the_system_bundle_with_a_ca_in_it_works_on_micropython(pki, server_for, tmpdir):
    """The whole distribution CA bundle (as OpenWrt's ca-bundle) goes through this MicroPython's
    TLS library (1.20: one PEM text per connection; 1.23+: DER one by one): every certificate in
    it parses, and the one that signed the server is found among them."""
    system = [p for p in ("/etc/ssl/certs/ca-certificates.crt",) if os.path.exists(p)]
    if not system:
        pytest.skip("no system CA bundle here")
    bundle = tmpdir.join("bundle.pem")
    with open(system[0]) as f:
        bundle.write(f.read() + open(pki["ca"]).read())
    server = server_for("good")
    result = micropython_request(server.url(), str(bundle))
    assert result == {"status": 200, "text": '{"ok": true}'}, result


@pytest.mark.parametrize("client", CLIENTS)
def test_a_server_with_no_suite_in_common_is_named_as_such(client, pki):
    """A server that offers only what the client's TLS library lacks (here: TLS 1.2 with static
    RSA key exchange, which neither OpenWrt's mbedtls build nor CPython's defaults allow) fails
    with a message naming that cause, not a bare library error code."""
    server = TLSServer(pki["good"])
    try:
        server.ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        server.ctx.set_ciphers("AES256-SHA256:@SECLEVEL=0")
    except (AttributeError, ssl.SSLError, ValueError):
        server.close()
        pytest.skip("this OpenSSL cannot offer static RSA only")
    try:
        result = call(client, server.url(), pki["ca"])
    finally:
        server.close()
    assert "no TLS version or cipher suite in common" in result.get("error", ""), result
    assert not server.received

class ConnectProxy(object):
    """An HTTP CONNECT proxy: records each request head it reads, then (unless `refuse`) relays
    bytes both ways. What it sees of a tunnelled request is TLS, never the path or a token."""

    def __init__(self, refuse=None):
        self.sock, self.port = loopback_socket(socket.SOCK_STREAM)
        self.sock.listen(5)
        self.refuse, self.seen, self.relayed = refuse, [], []
        in_background(self.serve)

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except (OSError, socket.error):
                return
            head = read_head(conn)
            self.seen.append(head)
            if self.refuse:
                conn.sendall(b"HTTP/1.1 %d No\r\nContent-Length: 0\r\n\r\n" % self.refuse)
                conn.close()
                continue
            target = head.split(b" ")[1].decode()
            host, _, port = target.rpartition(":")
            upstream = socket.create_connection((host, int(port)))
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            in_background(lambda a=conn, b=upstream: self.pump(a, b))
            in_background(lambda a=conn, b=upstream: self.pump(b, a))

    def pump(self, src, dst):
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    break
                self.relayed.append(data)
                dst.sendall(data)
        except (OSError, socket.error):
            pass
        for s in (src, dst):
            try:
                s.close()
            except (OSError, socket.error):
                pass

    def close(self):
        self.sock.close()


def test_https_through_a_connect_proxy_keeps_the_request_inside_tls(pki, server_for):
    server = server_for("good")
    proxy = ConnectProxy()
    try:
        status, _, text = transport.request("POST", server.url(), {"Content-Type": "text/plain"},
                                            "body-bytes", 5, pki["ca"],
                                            proxy="127.0.0.1:%d" % proxy.port)
    finally:
        proxy.close()
    assert (status, text) == (200, '{"ok": true}')
    [head] = proxy.seen
    assert head.startswith(b"CONNECT localhost:%d HTTP/1.1\r\n" % server.port)
    assert SECRET.encode() not in head + b"".join(proxy.relayed)
    assert server.received[0].startswith(b"POST /zones?login_token=")


def test_a_proxy_that_refuses_the_tunnel_is_a_one_line_error(pki, server_for):
    server = server_for("good")
    proxy = ConnectProxy(refuse=403)
    try:
        with pytest.raises(NetworkError) as info:
            transport.request("GET", server.url(), {}, None, 5, pki["ca"],
                              proxy="127.0.0.1:%d" % proxy.port)
    finally:
        proxy.close()
    assert "proxy refused a tunnel to localhost: HTTP 403" in str(info.value)
    assert SECRET not in str(info.value) and server.received == []


def test_system_proxy_settings_from_the_environment(monkeypatch):
    from ddns_min.proxy import proxy_for
    for name in ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                 "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert proxy_for("https", "api.example.net", None) is None
    monkeypatch.setenv("https_proxy", "http://user:pw@10.0.0.1:3128/")
    monkeypatch.setenv("http_proxy", "10.0.0.2:8080")
    assert proxy_for("https", "api.example.net", "SYSTEM") == ("10.0.0.1", 3128, "dXNlcjpwdw==")
    assert proxy_for("http", "api.example.net", None) == ("10.0.0.2", 8080, "")
    assert proxy_for("https", "api.example.net", "DIRECT") is None
    assert proxy_for("https", "127.0.0.1", "SYSTEM") is None  # loopback never goes out
    assert proxy_for("https", "127.0.0.1", "10.0.0.9:1") == ("10.0.0.9", 1, "")  # as configured
    monkeypatch.setenv("no_proxy", "localhost, .example.net:443")
    assert proxy_for("https", "api.example.net", None) is None
    assert proxy_for("https", "example.org", None) == ("10.0.0.1", 3128, "dXNlcjpwdw==")
    monkeypatch.setenv("no_proxy", "*")
    assert proxy_for("https", "example.org", None) is None
    monkeypatch.setenv("no_proxy", "")
    monkeypatch.setenv("https_proxy", "socks5://10.0.0.1:1080")
    with pytest.raises(NetworkError):
        proxy_for("https", "example.org", None)
