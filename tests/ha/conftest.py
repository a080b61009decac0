"""Fixtures of the Home Assistant tests: a real HA core (pytest-homeassistant-custom-component)
and the Cloudflare emulator on 127.0.0.1 over real sockets."""
import threading
import time

import pytest

TOKEN = "tok-s3cr3t"


def pytest_collection_modifyitems(config, items):
    """Collected by the main suite in a venv that has Home Assistant: these tests need their own
    ini (asyncio_mode = auto), so they are skipped there; tests/ha/run.sh runs them."""
    try:
        mode = config.getini("asyncio_mode")
    except ValueError:
        mode = None
    if mode != "auto":
        skip = pytest.mark.skip(reason="Home Assistant tests: run tests/ha/run.sh")
        for item in items:
            if "/tests/ha/" in str(getattr(item, "path", None) or item.fspath).replace("\\", "/"):
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations):
    yield


@pytest.fixture(autouse=True)
def config_dir(hass, tmp_path):
    """HA's config folder (and so .storage, where the state files go) in a temporary folder."""
    (tmp_path / ".storage").mkdir()
    hass.config.config_dir = str(tmp_path)
    return tmp_path


@pytest.fixture
def cloudflare(socket_enabled):
    from fake_cloudflare import CloudflareEmulator
    before = set(threading.enumerate())
    emu = CloudflareEmulator().start()
    emu.tokens[TOKEN] = None
    emu.add_zone("example.com")
    yield emu
    emu.stop()
    # HA's cleanup check fails a test that leaves threads behind: wait for the server's.
    deadline = time.time() + 5
    while time.time() < deadline and [t for t in set(threading.enumerate()) - before
                                      if t.is_alive() and "waitpid" not in t.name
                                      and not t.name.startswith(("SyncWorker", "ThreadPool"))]:
        time.sleep(0.02)


@pytest.fixture
def user_input(cloudflare):
    """The form as a user fills it, pointed at the emulator."""
    return {"provider": "cloudflare", "token": TOKEN, "ipv4": "home.example.com",
            "ipv6": "home.example.com", "index4": "81.2.69.142",
            "index6": "2a02:ec0::1", "interval": 5, "endpoint": cloudflare.url}


@pytest.fixture
def dnspod(socket_enabled):
    from fake_dnspod import DNSPodEmulator
    emu = DNSPodEmulator().start()
    emu.tokens.add("12345,dp-s3cr3t")
    emu.add_domain("example.com")
    yield emu
    emu.stop()
    time.sleep(0.1)
