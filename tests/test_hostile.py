"""Hostile servers (tests/fake_hostile.py) against the real command line, on CPython (whichever
runs pytest, 2.7 included) and MicroPython. Whatever a server does, the run ends within its time
budget (DDNS_MIN_RUN_BUDGET, shortened here) with exit 1 and its --json object, its memory stays
bounded, no secret is printed, no request reaches another origin and no traceback is printed."""
import os
import socket
import ssl
import subprocess
import sys
import time

import pytest

from clirun import run
from fake_hostile import CutDNS, Hostile, TrickleRelay
from fake_http import in_background, loopback_socket, read_head
from interpreters import assert_no_secret, require_micropython

TOKEN = "hostile-token-s3cr3t"
BUDGET = 2
SLACK = 3  # on top of twice the time a `--version` run takes here (interpreter start and exit)
MAX_RSS_KIB = 64 * 1024  # the old client grew to hundreds of MB on the huge answers
MAXRSS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "maxrss.py")
RUNTIMES = ["cpython", pytest.param("micropython", marks=pytest.mark.micropython)]


@pytest.fixture(params=RUNTIMES)
def ddns(request, tmpdir):
    """ddns(args, budget) -> clirun.Result with .seconds and .rss_kib (the client's peak)."""
    real = [require_micropython()] if request.param == "micropython" else [sys.executable]
    results = []
    start = time.time()
    run(["--version"], tmpdir, interpreter=[sys.executable, MAXRSS] + real,
        env={"MAXRSS_FILE": str(tmpdir.join("maxrss"))})
    startup = time.time() - start  # a shim (pyenv) or a loaded machine can take seconds

    def go(args, budget=BUDGET):
        rss = tmpdir.join("maxrss")
        env = {"DDNS_MIN_RUN_BUDGET": str(budget), "MAXRSS_FILE": str(rss)}
        start = time.time()
        res = run(args, tmpdir, env=env, interpreter=[sys.executable, MAXRSS] + real)
        res.seconds = time.time() - start
        res.slack = SLACK + 2 * startup
        res.rss_kib = int(rss.read())
        results.append(res)
        return res
    go.runtime = request.param
    yield go
    assert_no_secret(results, tmpdir)


@pytest.fixture
def servers():
    made = []

    def make(cls, *args, **kwargs):
        server = cls(*args, **kwargs)
        made.append(server)
        return server
    yield make
    for server in made:
        server.close()


def api_args(endpoint, *extra):
    return ["--json", "--dns", "cloudflare", "--token", TOKEN, "--endpoint", endpoint,
            "--index4", "81.2.69.142", "--cache", "false", "--ipv4", "home.example.com"] + \
        list(extra)


def assert_failed_in_time(res, budget=BUDGET):
    assert res.code == 1, res
    report = res.json  # exactly one JSON object on stdout
    assert report["ok"] is False and report["records"], res
    assert [r["action"] for r in report["records"]] == ["failed"] * len(report["records"]), res
    assert "Traceback" not in res.err, res
    assert res.seconds < budget + res.slack, (res.seconds, res.slack, res)
    assert res.rss_kib < MAX_RSS_KIB, (res.rss_kib, res)
    return report["records"][0]["error"]


SLOW = ["trickle_head", "trickle_body", "stall_after_head"]
BIG = ["endless_chunked", "huge_length", "huge_no_length", "endless_head"]


@pytest.mark.parametrize("behaviour", SLOW + BIG)
def test_provider_api_that_misbehaves_ends_the_run_in_time(ddns, servers, behaviour):
    server = servers(Hostile, behaviour)
    error = assert_failed_in_time(ddns(api_args(server.url + "/client/v4")))
    assert "127.0.0.1" in error
    if behaviour in BIG:
        assert "larger than" in error, error
    else:
        assert "budget" in error or "within" in error, error


@pytest.mark.parametrize("answer", [b"SSH-2.0-OpenSSH_9.2\r\n\r\n", b"HTTP/1.1 2000 OK\r\n\r\n",
                                    b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
                                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                                    b"\xff\xfe\x00garbage", b""])
def test_garbage_answers_are_one_line_errors(ddns, servers, answer):
    server = servers(Hostile, "garbage", answer=answer)
    error = assert_failed_in_time(ddns(api_args(server.url)))
    assert "127.0.0.1" in error, error


@pytest.mark.parametrize("status", [301, 302, 307, 308])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_api_redirect_is_an_error_and_nothing_reaches_the_target(ddns, servers, status, scheme):
    target = servers(Hostile, "answer", body=b'{"success": true, "result": []}')
    location = "%s://127.0.0.1:%d/client/v4/zones" % (scheme, target.port)
    server = servers(Hostile, "redirect", status=status, location=location)
    error = assert_failed_in_time(ddns(api_args(server.url + "/client/v4")))
    assert "127.0.0.1 answered HTTP %d (redirect to 127.0.0.1 not followed)" % status in error
    assert target.seen == []
    assert len(server.seen) == 1  # a redirect is an answer: not retried like a network error


def test_api_redirect_to_another_host_names_it(ddns, servers):
    server = servers(Hostile, "redirect", status=302, location="https://evil.example.net/steal")
    error = assert_failed_in_time(ddns(api_args(server.url)))
    assert "redirect to evil.example.net not followed" in error


def test_loopback_means_an_address_literal_or_localhost():
    from ddns_min.addr import is_loopback_host
    for host in ("127.0.0.1", "127.255.0.9", "::1", "[::1]", "0:0:0:0:0:0:0:1", "localhost",
                 "LOCALHOST"):
        assert is_loopback_host(host), host
    for host in ("127.0.0.1.example.net", "127.example.net", "localhost.example.net", "127.",
                 "::ffff:127.0.0.1", "128.0.0.1", "0.0.0.0", "::", "", "127.0.0.01", None):
        assert not is_loopback_host(host), host


@pytest.mark.parametrize("behaviour", ["trickle_body", "endless_chunked", "stall_after_head"])
def test_url_rules_share_the_run_budget(ddns, servers, behaviour):
    """Three echo rules that each hang: detection as a whole still ends within the budget."""
    urls = ["url:" + servers(Hostile, behaviour).url + "/" for _ in range(3)]
    res = ddns(["--json", "--dry-run", "--ipv4", "home.example.com", "--index4"] + urls)
    error = assert_failed_in_time(res)
    assert "no IPv4 address" in error


def test_echo_redirect_to_plain_http_is_not_followed(ddns, servers):
    target = servers(Hostile, "answer", body=b"81.2.69.142")
    server = servers(Hostile, "redirect", status=302, location=target.url + "/")
    res = ddns(["--json", "--dry-run", "--ipv4", "home.example.com", "--index4",
                "url:" + server.url + "/"])
    assert_failed_in_time(res)
    assert "not followed: not https" in res.err
    assert target.seen == []


def test_command_rules_share_the_run_budget(ddns):
    res = ddns(["--json", "--dry-run", "--ipv4", "home.example.com", "--index4", "cmd:sleep 30",
                "shell:sleep 40 & sleep 50; echo 81.2.69.142"])
    assert_failed_in_time(res)
    assert "time budget" in res.err


CUTS = [0, 5, 12, 20, 35, 40, 50, 58]


def test_cut_dns_answers_are_clean_failures_and_the_next_rule_runs(ddns, servers):
    resolvers = [servers(CutDNS, keep) for keep in CUTS]
    echo = servers(Hostile, "answer", body=b"81.2.69.142\n")
    res = ddns(["--json", "--dry-run", "--ipv4", "home.example.com", "--index4"] +
               ["dns:127.0.0.1:%d" % r.port for r in resolvers] + ["url:" + echo.url + "/"])
    assert res.code == 0, res
    assert res.json["records"][0]["ip"] == "81.2.69.142"
    assert "Traceback" not in res.err
    assert [len(r.queries) for r in resolvers] == [1] * len(CUTS)
    assert len(echo.seen) == 1
    whole = servers(CutDNS, None)  # the same reply uncut is read: the cuts were the fault
    res = ddns(["--json", "--dry-run", "--ipv4", "a.example.com", "--index4",
                "dns:127.0.0.1:%d" % whole.port])
    assert res.code == 0 and res.json["records"][0]["ip"] == "81.2.69.142", res


# -- TLS: a handshake that arrives one byte at a time


def openssl(*args):
    subprocess.check_call(("openssl",) + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def pki(tmpdir_factory):
    folder = str(tmpdir_factory.mktemp("hostile-pki"))
    base = os.path.join(folder, "ca")
    try:
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", base + ".key")
    except (OSError, subprocess.CalledProcessError):
        if os.environ.get("CI") == "true":
            pytest.fail("openssl is needed in CI")
        pytest.skip("the openssl command is needed to make test certificates")
    openssl("req", "-x509", "-new", "-key", base + ".key", "-subj", "/CN=Hostile CA", "-days",
            "30", "-sha256", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", base + ".crt")
    key, csr, crt, ext = [os.path.join(folder, "srv" + e) for e in (".key", ".csr", ".crt", ".ext")]
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key)
    openssl("req", "-new", "-key", key, "-subj", "/CN=localhost", "-out", csr)
    openssl("x509", "-req", "-in", csr, "-CA", base + ".crt", "-CAkey", base + ".key",
            "-CAcreateserial", "-days", "30", "-sha256", "-extfile", ext, "-out", crt)
    return {"ca": base + ".crt", "cert": (crt, key)}


class TLSAnswer(object):
    """HTTPS on loopback answering every request with `body` (or a redirect to `location`)."""

    def __init__(self, cert, body=b"81.2.69.142\n", location=None):
        proto = getattr(ssl, "PROTOCOL_TLS_SERVER", ssl.PROTOCOL_SSLv23)
        self.ctx = ssl.SSLContext(proto)
        self.ctx.load_cert_chain(cert[0], cert[1])
        self.sock, self.port = loopback_socket(socket.SOCK_STREAM)
        self.sock.listen(16)
        self.body, self.location, self.seen = body, location, []
        in_background(self.serve)

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except (OSError, socket.error):
                return
            in_background(lambda c=conn: self.one(c))

    def one(self, conn):
        try:
            conn.settimeout(60)
            tls = self.ctx.wrap_socket(conn, server_side=True)
            self.seen.append(read_head(tls))
            if self.location:
                tls.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + self.location.encode() +
                            b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            else:
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                            b"%d\r\nConnection: close\r\n\r\n%s" % (len(self.body), self.body))
            tls.close()
        except (ssl.SSLError, socket.error, OSError):
            conn.close()

    def close(self):
        self.sock.close()


def test_tls_handshake_trickled_a_byte_at_a_time_ends_in_time(ddns, servers, pki):
    tls = servers(TLSAnswer, pki["cert"], b'{"success": true, "result": []}')
    relay = servers(TrickleRelay, tls.port, 0.2)
    res = ddns(api_args("https://localhost:%d/client/v4" % relay.port, "--ssl", pki["ca"]))
    error = assert_failed_in_time(res)
    assert "localhost" in error


def test_tls_server_is_reachable_without_the_relay(ddns, servers, pki):
    """The control for the test above: the same server, not trickled, answers."""
    tls = servers(TLSAnswer, pki["cert"])
    res = ddns(["--json", "--dry-run", "--ipv4", "a.example.com", "--ssl", pki["ca"],
                "--index4", "url:https://localhost:%d/ip" % tls.port])
    assert res.code == 0 and res.json["records"][0]["ip"] == "81.2.69.142", res


def test_echo_redirect_to_https_is_followed_at_most_three_times(ddns, servers, pki):
    final = servers(TLSAnswer, pki["cert"])
    hop = servers(TLSAnswer, pki["cert"], location="https://localhost:%d/ip" % final.port)
    start = servers(Hostile, "redirect", status=301, location="https://localhost:%d/" % hop.port)
    res = ddns(["--json", "--dry-run", "--ipv4", "a.example.com", "--ssl", pki["ca"],
                "--index4", "url:" + start.url + "/"])
    assert res.code == 0 and res.json["records"][0]["ip"] == "81.2.69.142", res
    assert final.seen[0].startswith(b"GET /ip HTTP/1.1\r\n")
    loop = servers(TLSAnswer, pki["cert"])
    loop.location = "https://localhost:%d/again" % loop.port
    res = ddns(["--json", "--dry-run", "--ipv4", "a.example.com", "--ssl", pki["ca"],
                "--index4", "url:https://localhost:%d/" % loop.port])
    assert_failed_in_time(res)
    assert len(loop.seen) == 4  # the request and three redirects followed


SILENT_DNS = ("import socket, time; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
              "s.bind(('127.0.0.1', 53)); time.sleep(60)")


def test_a_name_lookup_that_never_answers_ends_in_time(tmpdir):
    """CPython: the system resolver (here told to wait 30 s, 5 times) is given up at the deadline.
    In a network and mount namespace whose resolv.conf names a resolver that never answers."""
    if os.geteuid() != 0 or subprocess.call(["unshare", "-m", "-n", "true"]) != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run as root with unshare (namespaces)")
        pytest.skip("needs root and unshare -m -n")
    resolv = tmpdir.join("resolv.conf")
    resolv.write("nameserver 127.0.0.1\noptions timeout:30 attempts:5\n")
    script = ("ip link set lo up && mount --bind %s /etc/resolv.conf && "
              "(%s -c \"%s\" >/dev/null 2>&1 </dev/null &) && sleep 0.3 && exec \"$@\""
              % (resolv, sys.executable, SILENT_DNS))
    from clirun import ROOT, clean_env
    env = clean_env(tmpdir, {"PYTHONPATH": ROOT, "DDNS_MIN_RUN_BUDGET": "3"})
    start = time.time()
    proc = subprocess.Popen(["unshare", "-m", "-n", "sh", "-c", script, "sh", sys.executable,
                             "-m", "ddns_min"] + api_args("https://api.example.net/client/v4"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=str(tmpdir))
    out, err = proc.communicate()
    seconds = time.time() - start
    out, err = out.decode(), err.decode()
    assert proc.returncode == 1, (out, err)
    assert seconds < BUDGET + SLACK + 2, (seconds, err)
    assert "cannot resolve api.example.net within" in err, err
    assert "Traceback" not in err and TOKEN not in out + err
    import json
    assert json.loads(out)["records"][0]["action"] == "failed"
