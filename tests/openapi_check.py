"""Every request the tests send to the Cloudflare emulator is sent again to Prism serving
Cloudflare's official OpenAPI schema (shared/reference/cloudflare-openapi, the mock variant with
the current docs' patches) with --errors: a request the real API's schema refuses fails the test,
so the emulator cannot drift from the real API unnoticed. Prism comes from npm (cached)."""
import atexit
import json
import os
import socket
import subprocess
import time

from clirun import ROOT

SPEC = os.path.join(os.path.dirname(ROOT), "shared", "reference", "cloudflare-openapi",
                    "cloudflare-dns-extract.mock.json")
CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                     "ddns_min-tests", "prism")
# Paths the 2024 schema snapshot does not have yet (added to the API later): not checked.
NOT_IN_SNAPSHOT = ("/dns_records/batch",)
_prism = {}


class Unavailable(Exception):
    pass


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _start():
    if "error" in _prism:
        raise Unavailable(_prism["error"])
    if "port" in _prism:
        return _prism["port"]
    try:
        if not os.path.exists(SPEC):
            raise Unavailable("the OpenAPI schema is not at %s (shared/ beside the clone)" % SPEC)
        exe = os.path.join(CACHE, "node_modules", ".bin", "prism")
        if not os.path.exists(exe):
            try:
                subprocess.check_call(["npm", "install", "--prefix", CACHE, "--no-audit",
                                       "--no-fund", "--silent", "@stoplight/prism-cli@5"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except (OSError, subprocess.CalledProcessError) as exc:
                raise Unavailable("cannot install Prism from npm: %s" % exc)
        port = _free_port()
        proc = subprocess.Popen([exe, "mock", "-h", "127.0.0.1", "-p", str(port), "--errors",
                                 SPEC], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(proc.kill)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                _prism["port"] = port
                return port
            except (OSError, socket.error):
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        raise Unavailable("Prism did not start")
    except Unavailable as exc:
        _prism["error"] = str(exc)
        raise


def violations(requests):
    """-> a list of "METHOD path: what the schema says" for requests the schema refuses."""
    from http.client import HTTPConnection
    port = _start()
    out = []
    for req in requests:
        if req.path.split("?", 1)[0].endswith(NOT_IN_SNAPSHOT):
            continue
        headers = dict((k, v) for k, v in req.headers.items()
                       if k.lower() in ("authorization", "x-auth-email", "x-auth-key",
                                        "content-type", "accept"))
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(req.method, req.path, body=req.raw or None, headers=headers)
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace")
        conn.close()
        if resp.status in (401, 404, 405, 415, 422):
            try:
                data = json.loads(body)
                detail = json.dumps(data.get("validation") or data.get("detail") or data)[:400]
            except (ValueError, AttributeError):
                detail = body[:400]
            out.append("%s %s -> %s: %s" % (req.method, req.path, resp.status, detail))
    return out
