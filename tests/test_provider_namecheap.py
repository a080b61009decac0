"""Namecheap Dynamic DNS against tests/fake_namecheap.py: one GET per changed name (the state file
decides: nothing to read), the registered domain split from the name or taken from "id", A
records only, the password (in the query) never shown, "Passwords do not match" stops all calls."""
import json

import pytest

from fake_namecheap import NamecheapEmulator

PASSWORD = "nc-ddns-s3cr3t"
NEW = "81.2.69.142"


@pytest.fixture
def cheap():
    with NamecheapEmulator() as emu:
        emu.add_domain("example.com", PASSWORD, home="81.2.69.140", apex="81.2.69.140")
        yield emu


def run(client, tmpdir, cheap, *args, **extra):
    data = {"dns": "namecheap", "token": PASSWORD, "endpoint": cheap.url.rstrip("/"),
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"] + list(args))


def test_update_then_cached_then_changed(client, tmpdir, cheap):
    res = run(client, tmpdir, cheap, "--debug", ipv4=["home.example.com", "example.com"])
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["updated", "updated"]
    assert [(r.query["host"], r.query["domain"], r.query["ip"]) for r in cheap.requests] == [
        ("home", "example.com", NEW), ("@", "example.com", NEW)]
    assert cheap.requests[0].query["password"] == PASSWORD  # sent, only in the query
    assert "namecheap GET /update" in res.err
    assert cheap.domains["example.com"]["hosts"] == {"home": NEW, "@": NEW}
    res = run(client, tmpdir, cheap, ipv4=["home.example.com", "example.com"])
    assert [r["action"] for r in res.json["records"]] == ["cached", "cached"]
    assert len(cheap.requests) == 2 and cheap.same_value_writes == 0
    res = run(client, tmpdir, cheap, index4="81.2.69.150")
    assert res.json["records"][0]["action"] == "updated", res
    assert len(cheap.requests) == 3 and cheap.domains["example.com"]["hosts"]["home"] == \
        "81.2.69.150"


def test_registered_domain_from_id(client, tmpdir, cheap):
    cheap.add_domain("example.co.uk", PASSWORD, **{"a.b": "81.2.69.140"})
    res = run(client, tmpdir, cheap, id="example.co.uk", ipv4=["a.b.example.co.uk"])
    assert res.code == 0, res
    assert (cheap.requests[0].query["host"], cheap.requests[0].query["domain"]) == \
        ("a.b", "example.co.uk")
    res = run(client, tmpdir, cheap, ipv4=["a.b.example.co.uk"])  # without "id": co.uk
    assert res.code == 1 and "Domain name not found" in res.err and '"id"' in res.err, res
    res = run(client, tmpdir, cheap, id="example.org")
    assert res.code == 2 and '"id"' in res.err and not cheap.requests[2:], res


def test_ipv6_is_a_config_error(client, tmpdir, cheap):
    res = run(client, tmpdir, cheap, ipv6=["home.example.com"], index6="2a02:ec0::1")
    assert res.code == 2 and "A records only" in res.err, res
    assert cheap.requests == []


def test_wrong_password_is_refused_once(client, tmpdir, cheap):
    res = run(client, tmpdir, cheap, "--debug", token="wrong-s3cr3t",
              ipv4=["home.example.com", "example.com"])
    assert res.code == 3, res
    assert "Passwords do not match" in res.err and '"token"' in res.err
    assert len(cheap.requests) == 1


def test_missing_host_rate_limit_and_odd_answers(client, tmpdir, cheap):
    res = run(client, tmpdir, cheap, ipv4=["nope.example.com"])
    assert res.code == 1 and "A record not Found" in res.err and "nope" in res.err, res
    cheap.fail_next(429, "Too Many Requests")
    res = run(client, tmpdir, cheap, ipv4=["home.example.com", "example.com"])
    assert res.code == 1 and "namecheap rate limit: HTTP 429" in res.err, res
    assert len(cheap.requests) == 2
    cheap.fail_next(200, "<html>maintenance</html>", content_type="text/html")
    res = run(client, tmpdir, cheap)
    assert res.code == 1 and "without its XML answer" in res.err, res
    cheap.fail_next(200, "<interface-response><IP>1.2.3.4</IP><ErrCount>0</ErrCount>"
                    "</interface-response>", content_type="text/html")
    res = run(client, tmpdir, cheap)
    assert res.code == 1 and "not counted as done" in res.err, res
