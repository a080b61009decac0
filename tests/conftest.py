"""Fixtures: API emulators on 127.0.0.1 (fresh per test) and the `client` runner."""
import pytest

from fake_cloudflare import CloudflareEmulator
from fake_dnspod import DNSPodEmulator
from fake_http import EchoServer
from interpreters import client  # noqa: F401  (fixture)


@pytest.fixture
def cloudflare():
    with CloudflareEmulator() as emu:
        yield emu


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
