"""DuckDNS (https://www.duckdns.org/spec.jsp): update-only GET /update, OK/KO answers, the token
in the query string never in any output or log file."""
import json

import pytest

from fake_duckdns import DuckDNSEmulator

TOKEN = "duck-s3cr3t-0000"
NEW, NEW6 = "81.2.69.142", "2a02:ec0::142"


@pytest.fixture
def duck():
    with DuckDNSEmulator() as emu:
        emu.add(TOKEN, "home", a="81.2.69.140")
        emu.add(TOKEN, "nas")
        yield emu


def run(client, tmpdir, duck, *args, **extra):
    data = {"dns": "duckdns", "token": TOKEN, "endpoint": duck.url,
            "ipv4": ["home.duckdns.org"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"] + list(args))


def test_update_a_and_aaaa_then_cached_then_unchanged(client, tmpdir, duck):
    log_file = str(tmpdir.join("ddns.log"))
    res = run(client, tmpdir, duck, "--log-level", "DEBUG", "--log-file", log_file,
              ipv4=["home.duckdns.org", "nas.duckdns.org"], ipv6=["nas.duckdns.org"],
              index6=NEW6)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["updated"] * 3
    assert duck.records == {"home": {"A": NEW, "AAAA": ""}, "nas": {"A": NEW, "AAAA": NEW6}}
    assert [sorted(r.query.items()) for r in duck.requests][2] == [
        ("domains", "nas"), ("ipv6", NEW6), ("token", TOKEN), ("verbose", "true")]
    assert [r.query.get("ip") for r in duck.requests] == [NEW, NEW, None]
    assert duck.detected == 0  # never left to DuckDNS's own guess
    with open(log_file) as f:
        logged = f.read()
    assert "duckdns GET /update" in logged and "s3cr3t" not in logged.lower()
    assert "s3cr3t" not in res.err.lower()  # (the client fixture checks everything again)
    assert run(client, tmpdir, duck).json["records"][0]["action"] == "cached"
    assert len(duck.requests) == 3
    tmpdir.join("s.json").remove()
    assert run(client, tmpdir, duck).json["records"][0]["action"] == "unchanged"  # NOCHANGE


def test_changed_address_is_sent_once(client, tmpdir, duck):
    assert run(client, tmpdir, duck).code == 0
    res = run(client, tmpdir, duck, index4="81.2.69.150")
    assert res.json["records"][0]["action"] == "updated", res
    assert duck.records["home"]["A"] == "81.2.69.150" and len(duck.requests) == 2
    assert duck.same_value_writes == 0


def test_ko_is_refused_once_naming_token_and_domain(client, tmpdir, duck):
    res = run(client, tmpdir, duck, token="wrong-s3cr3t",
              ipv4=["home.duckdns.org", "nas.duckdns.org"])
    assert res.code == 3, res
    assert '"token"' in res.err and "home.duckdns.org" in res.err and "KO" in res.err
    assert len(duck.requests) == 1
    tmpdir.join("s.json").remove()
    res = run(client, tmpdir, duck, ipv4=["other.duckdns.org"])
    assert res.code == 3 and '"other"' in res.err


def test_rate_limit_and_odd_answers(client, tmpdir, duck):
    duck.fail_next(429, "slow down")
    res = run(client, tmpdir, duck, ipv4=["home.duckdns.org", "nas.duckdns.org"])
    assert res.code == 1 and "rate limit" in res.err and "429" in res.err, res
    assert len(duck.requests) == 1
    duck.fail_next(502, "<html>bad gateway</html>")
    res = run(client, tmpdir, duck)
    assert res.code == 1 and "HTTP 502" in res.err, res


def test_names_outside_duckdns_are_a_config_error(client, tmpdir, duck):
    for name in ("home.example.com", "a.home.duckdns.org"):
        res = run(client, tmpdir, duck, ipv4=[name])
        assert res.code == 2 and "home.duckdns.org" in res.err, res
    assert duck.requests == []
