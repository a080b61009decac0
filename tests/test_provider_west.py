"""West.cn (dnsrec.update, as ddns 4.2 uses it): an update-only API, so the state file decides
when to send; the emulator (tests/fake_west.py) checks the apikey / apidomainkey MD5s itself."""
import hashlib
import json

import pytest

from fake_west import PATH, WestEmulator

USER, API_PASSWORD, DOMAIN_PASSWORD = "westuser", "west-api-s3cr3t", "west-domain-s3cr3t"
NEW, NEW6 = "81.2.69.142", "2001:4860:4860::8888"


def md5hex(text):
    return hashlib.md5(text.encode()).hexdigest()


@pytest.fixture
def west():
    with WestEmulator() as emu:
        emu.users[USER] = (API_PASSWORD, set(["example.com", "example.com.cn"]))
        emu.domain_passwords["example.net"] = DOMAIN_PASSWORD
        yield emu


def run(client, tmpdir, emu, **extra):
    # ddns's meaning: "id" the user name, "token" the apikey, the MD5 of the API password
    data = {"dns": "west", "id": USER, "token": md5hex(API_PASSWORD),
            "endpoint": emu.url + PATH, "ipv4": ["home.example.com"], "index4": NEW,
            "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    res = client(["-c", str(tmpdir.join("config.json")), "--json"])
    # the keys are MD5s, which cannot hold the s3cr3t marker the client fixture looks for
    state = tmpdir.join("s.json").read() if tmpdir.join("s.json").check() else ""
    assert data["token"] not in res.out + res.err + state
    return res


def test_create_a_and_aaaa_then_cached_then_changed(client, tmpdir, west):
    res = run(client, tmpdir, west, ipv6=["home.example.com"], index6=NEW6, line="LTEL")
    assert res.code == 0, res
    assert west.recs[("example.com", "home", "A")]["value"] == NEW
    assert west.recs[("example.com", "home", "AAAA")]["value"] == NEW6
    forms = [r.form for r in west.requests]
    assert [(f["act"], f["domain"], f["hostname"], f["username"], f["record_line"])
            for f in forms] == [("dnsrec.update", "example.com", "home", USER, "LTEL")] * 2
    assert run(client, tmpdir, west, ipv6=["home.example.com"], index6=NEW6,
               line="LTEL").json["records"][0]["action"] == "cached"
    assert len(west.requests) == 2
    res = run(client, tmpdir, west, index4="81.2.69.150", line="LTEL")
    assert res.json["records"][0]["action"] == "updated", res
    assert west.recs[("example.com", "home", "A")]["value"] == "81.2.69.150"
    assert west.same_value_writes == 0


def test_domain_key_and_the_next_zone_split(client, tmpdir, west):
    res = run(client, tmpdir, west, id=None, token=md5hex(DOMAIN_PASSWORD),
              ipv4=["example.net"])
    assert res.code == 0, res
    assert west.recs[("example.net", "@", "A")]["value"] == NEW
    assert "username" not in west.requests[0].form
    res = run(client, tmpdir, west, ipv4=["a.home.example.com.cn"], cache=False)
    assert res.code == 0, res
    assert [r.form["domain"] for r in west.requests[1:]] == ["com.cn", "example.com.cn"]
    assert west.recs[("example.com.cn", "a.home", "A")]["value"] == NEW


def test_wrong_apikey_is_refused_once(client, tmpdir, west):
    res = run(client, tmpdir, west, token=md5hex("wrong-s3cr3t"),
              ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "[401]" in res.err and len(west.requests) == 1


def test_rate_limit_names_the_code(client, tmpdir, west):
    west.limited = True
    res = run(client, tmpdir, west)
    assert res.code == 1, res
    assert "rate limit" in res.err and "[429]" in res.err


def test_unknown_domain_says_so(client, tmpdir, west):
    res = run(client, tmpdir, west, ipv4=["home.example.org"])
    assert res.code == 1, res
    assert 'no domain for "home.example.org"' in res.err and "[404]" in res.err
