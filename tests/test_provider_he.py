"""Hurricane Electric (`he`): the dyndns2 words at dyn.dns.he.net, the record's DDNS key in a POST
form (never in the URL), against an emulator of https://dns.he.net/docs.html."""
import json

import pytest

from fake_he import HEEmulator

KEY = "he-key-s3cr3t"
OLD, NEW = "81.2.69.140", "81.2.69.142"
OLD6, NEW6 = "2a02:ec0::1", "2a02:ec0::2"


@pytest.fixture
def he():
    with HEEmulator() as emu:
        emu.add("home.example.com", KEY, a=OLD, aaaa=OLD6)
        emu.add("nas.example.com", KEY, a=OLD)
        yield emu


def run(client, tmpdir, he, **extra):
    data = {"dns": "he", "token": KEY, "endpoint": he.url, "ipv4": ["home.example.com"],
            "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def test_update_sends_the_key_in_a_form_then_cached(client, tmpdir, he):
    res = run(client, tmpdir, he, ipv6=["home.example.com"], index6=NEW6)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["updated", "updated"]
    assert he.records[("home.example.com", "A")] == NEW
    assert he.records[("home.example.com", "AAAA")] == NEW6
    first = he.requests[0]
    assert first.method == "POST" and first.path == "/nic/update" and first.query == {}
    assert first.form == {"hostname": "home.example.com", "password": KEY, "myip": NEW}
    assert "authorization" not in first.headers and KEY not in first.target
    again = run(client, tmpdir, he, ipv6=["home.example.com"], index6=NEW6)
    assert [r["action"] for r in again.json["records"]] == ["cached", "cached"]
    assert len(he.requests) == 2 and he.same_value_writes == 0
    changed = run(client, tmpdir, he, index4="81.2.69.150")
    assert changed.json["records"][0]["action"] == "updated", changed
    assert he.records[("home.example.com", "A")] == "81.2.69.150"
    assert he.same_value_writes == 0


def test_nochg_without_state_is_unchanged(client, tmpdir, he):
    res = run(client, tmpdir, he, index4=OLD, cache=False)
    assert res.code == 0, res
    assert res.json["records"][0]["action"] == "unchanged"


def test_wrong_key_is_refused_once(client, tmpdir, he):
    res = run(client, tmpdir, he, token="wrong-s3cr3t",
              ipv4=["home.example.com", "nas.example.com"])
    assert res.code == 3, res
    assert "badauth" in res.err and '"token"' in res.err
    assert len(he.requests) == 1


def test_abuse_stops_all_calls(client, tmpdir, he):
    he.abuse.add("home.example.com")
    res = run(client, tmpdir, he, ipv4=["home.example.com", "nas.example.com"])
    assert res.code == 3 and "abuse" in res.err, res
    assert len(he.requests) == 1


def test_rate_limit_is_a_clear_failure(client, tmpdir, he):
    he.fail_next(429, "Too Many Requests")
    res = run(client, tmpdir, he, ipv4=["home.example.com", "nas.example.com"])
    assert res.code == 1, res
    assert "rate limit" in res.err and "429" in res.err
    assert len(he.requests) == 1  # no more calls this run


def test_record_that_is_not_there_names_the_code(client, tmpdir, he):
    res = run(client, tmpdir, he, ipv4=[], ipv6=["nas.example.com"], index6=NEW6)
    assert res.code == 1, res
    assert "nohost" in res.err and ("nas.example.com", "AAAA") not in he.records


def test_id_is_refused_and_token_is_needed(client, tmpdir, he):
    res = run(client, tmpdir, he, id="home.example.com")
    assert res.code == 2 and '"id"' in res.err, res
    res = run(client, tmpdir, he, token="")
    assert res.code == 2 and '"token"' in res.err, res
    assert he.requests == []
