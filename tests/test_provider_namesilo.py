"""NameSilo (https://www.namesilo.com/api-reference) against tests/fake_namesilo.py: read the zone
before writing, create A and AAAA when missing, no same-value writes, the key (in the query
string) never in output even with debug logging, code 110 stops all calls."""
import json

import pytest

from fake_namesilo import NameSiloEmulator

KEY = "ns-key-s3cr3t"
NEW = "81.2.69.142"


@pytest.fixture
def silo():
    with NameSiloEmulator() as emu:
        emu.keys.add(KEY)
        emu.domains.add("example.com")
        yield emu


def run(client, tmpdir, silo, *args, **extra):
    data = {"dns": "namesilo", "token": KEY, "endpoint": silo.url, "ipv4": ["home.example.com"],
            "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"] + list(args))


def ops(reqs):
    return [r.path[len("/api/"):] for r in reqs]


def test_create_a_and_aaaa_then_cached_then_update_reads_first(client, tmpdir, silo):
    res = run(client, tmpdir, silo, "--debug", ipv4=["home.example.com", "example.com"],
              ipv6=["home.example.com"], index6="2a02:ec0::1")
    assert res.code == 0, res
    assert sorted((r["host"], r["type"]) for r in silo.records()) == [
        ("example.com", "A"), ("home.example.com", "A"), ("home.example.com", "AAAA")]
    assert ops(silo.requests) == ["dnsListRecords"] + ["dnsAddRecord"] * 3  # one listing a zone
    adds = [r.query for r in silo.requests if r.path.endswith("dnsAddRecord")]
    assert [(q["rrhost"], q["rrtype"]) for q in adds] == [("home", "A"), ("", "A"),
                                                          ("home", "AAAA")]
    assert all(q["version"] == "1" and q["type"] == "json" and "rrttl" not in q for q in adds)
    assert "namesilo GET /api/dnsListRecords" in res.err  # logged without its query string
    assert run(client, tmpdir, silo).json["records"][0]["action"] == "cached"
    sent = len(silo.requests)
    res = run(client, tmpdir, silo, "--debug", index4="81.2.69.150")
    assert res.json["records"][0]["action"] == "updated", res
    assert ops(silo.requests[sent:]) == ["dnsListRecords", "dnsUpdateRecord"]
    upd = silo.requests[-1].query
    assert upd["rrhost"] == "home" and upd["rrvalue"] == "81.2.69.150" and upd["rrttl"] == "7207"
    assert sorted((r["type"], r["value"]) for r in silo.records("home.example.com")) == [
        ("A", "81.2.69.150"), ("AAAA", "2a02:ec0::1")]
    assert silo.same_value_writes == 0


def test_unchanged_record_is_not_written_and_ttl_change_is(client, tmpdir, silo):
    silo.add_record("home.example.com", "A", NEW, ttl=3600)
    silo.code_as_text = True
    res = run(client, tmpdir, silo, cache=False)
    assert res.json["records"][0]["action"] == "unchanged", res
    assert ops(silo.requests) == ["dnsListRecords"]
    res = run(client, tmpdir, silo, cache=False, ttl=7200)
    assert res.json["records"][0]["action"] == "updated", res
    assert silo.requests[-1].query["rrttl"] == "7200" and silo.same_value_writes == 0


def test_zone_under_a_public_suffix_is_found(client, tmpdir, silo):
    silo.domains.add("example.co.uk")
    res = run(client, tmpdir, silo, ipv4=["a.b.example.co.uk"])
    assert res.code == 0, res
    assert [r.query["domain"] for r in silo.requests] == ["co.uk", "example.co.uk",
                                                          "example.co.uk"]
    assert silo.requests[-1].query["rrhost"] == "a.b"


def test_wrong_key_is_refused_once_and_never_shown(client, tmpdir, silo):
    res = run(client, tmpdir, silo, "--debug", token="wrong-s3cr3t",
              ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "code 110" in res.err and '"token"' in res.err and len(silo.requests) == 1
    assert silo.requests[0].query["key"] == "wrong-s3cr3t"  # it was sent, only in the query


def test_rate_limit_and_other_errors_name_the_code(client, tmpdir, silo):
    silo.fail_next(429, "Too Many Requests", count=3)
    res = run(client, tmpdir, silo, ipv4=["a.example.com", "b.example.com"])
    assert res.code == 1 and "rate limit" in res.err and "429" in res.err, res
    assert len(silo.requests) == 1
    tmpdir.join("s.json").remove()
    silo.faults = []
    res = run(client, tmpdir, silo, ttl=60)
    assert res.code == 1 and "code 280" in res.err and '"ttl"' in res.err, res
    res = run(client, tmpdir, silo, ipv4=["home.example.org"])
    assert res.code == 1 and "no domain" in res.err and "code 200" in res.err, res


def test_odd_answers_are_one_line_errors(client, tmpdir, silo):
    silo.fail_next(200, json.dumps({"reply": {"code": 300, "resource_record": [
        {"record_id": "../x", "type": "A", "host": "home.example.com", "value": NEW}]}}),
        content_type="application/json")
    res = run(client, tmpdir, silo)
    assert res.code == 1 and "not an id" in res.err and "Traceback" not in res.err, res
    silo.fail_next(200, "<html>oops</html>", content_type="text/html")
    res = run(client, tmpdir, silo)
    assert res.code == 1 and "not its API's JSON" in res.err, res


def test_a_single_record_not_in_a_list_is_read(client, tmpdir, silo):
    silo.fail_next(200, json.dumps({"reply": {"code": 300, "detail": "success", "resource_record":
        {"record_id": "abc123", "type": "A", "host": "home.example.com", "value": NEW,
         "ttl": "7207"}}}), content_type="application/json")
    res = run(client, tmpdir, silo, cache=False)
    assert res.json["records"][0]["action"] == "unchanged", res
    assert len(silo.requests) == 1
