"""Fixtures: API emulators on 127.0.0.1 (fresh per test) and the `client` runner."""
import os
import sys

import pytest

from fake_cloudflare import CloudflareEmulator
from fake_dnspod import DNSPodEmulator
from fake_http import EchoServer
import interpreters
from interpreters import client  # noqa: F401  (fixture)

# tests/ha: the Home Assistant integration, in a real HA core (tests/ha/run.sh makes its venv).
# Only collected where Home Assistant and its test plugin are importable; even then they skip
# unless run with their own ini (tests/ha/pytest.ini), as run.sh does.
collect_ignore = []
try:
    import homeassistant  # noqa: F401
    import pytest_homeassistant_custom_component  # noqa: F401
except Exception:  # ImportError, or a Python too old for the syntax
    collect_ignore.append("ha")


def pytest_generate_tests(metafunc):
    binaries = interpreters.listed_micropythons()
    if "_micropython_binary" in metafunc.fixturenames and binaries:
        metafunc.parametrize("_micropython_binary", binaries, indirect=True,
                             ids=[os.path.basename(b) for b in binaries])


@pytest.fixture(autouse=True)
def _micropython_binary(request):
    """With MICROPYTHONS listing binaries: each MicroPython test once per binary (the
    CPython variants once)."""
    path = getattr(request, "param", None)
    if path is None:
        yield
        return
    if request.node.get_closest_marker("micropython") is None:
        if path != interpreters.listed_micropythons()[0]:
            pytest.skip("not a MicroPython test: it ran with the first binary")
    interpreters.CURRENT["path"] = path
    yield
    interpreters.CURRENT["path"] = None


@pytest.fixture
def cloudflare(request):
    """The emulator; afterwards every request it got is checked against Cloudflare's OpenAPI
    schema (tests/openapi_check.py), unless the test marks itself as sending refused requests
    on purpose (@pytest.mark.not_schema_checked)."""
    with CloudflareEmulator() as emu:
        yield emu
    if request.node.get_closest_marker("not_schema_checked") or not emu.requests or \
            sys.version_info[0] < 3:  # the same requests are checked on the CPython 3 runs
        return
    import openapi_check
    try:
        bad = openapi_check.violations(emu.requests)
    except openapi_check.Unavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail("Cloudflare schema check unavailable in CI: %s" % exc)
        return
    assert not bad, "requests Cloudflare's OpenAPI schema refuses:\n" + "\n".join(bad)


@pytest.fixture
def dnspod():
    with DNSPodEmulator() as emu:
        yield emu


@pytest.fixture
def echo_server():
    started = []

    def start(body, status=200, content_type="text/plain"):
        server = EchoServer(body, status, content_type).start()
        started.append(server)
        return server
    yield start
    for server in started:
        server.stop()
