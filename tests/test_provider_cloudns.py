"""ClouDNS (`cloudns`): records.json read before add-record/mod-record, never a same-value write,
refused credentials stop everything, against an emulator of https://www.cloudns.net/wiki/."""
import json

import pytest

from fake_cloudns import ClouDNSEmulator

AUTH_ID, PASSWORD = "4321", "cloudns-pw-s3cr3t"
NEW, NEW6 = "81.2.69.142", "2a02:ec0::2"


@pytest.fixture
def cloudns():
    with ClouDNSEmulator() as emu:
        emu.users[AUTH_ID] = PASSWORD
        emu.zones.add("example.com")
        yield emu


def run(client, tmpdir, cloudns, **extra):
    data = {"dns": "cloudns", "id": AUTH_ID, "token": PASSWORD, "endpoint": cloudns.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def paths(requests):
    return [r.path.rsplit("/", 1)[-1] for r in requests]


def test_create_a_and_aaaa_then_cached_then_update_reads_first(client, tmpdir, cloudns):
    res = run(client, tmpdir, cloudns, ipv4=["home.example.com", "example.com"],
              ipv6=["home.example.com"], index6=NEW6)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["created"] * 3
    assert sorted((r["host"], r["type"], r["record"], r["ttl"]) for r in cloudns.records()) == [
        ("", "A", NEW, "60"), ("home", "A", NEW, "60"), ("home", "AAAA", NEW6, "60")]
    assert paths(cloudns.requests) == ["records.json"] * 3 + ["add-record.json"] * 3
    first = cloudns.requests[0]
    assert first.method == "POST" and first.query == {}
    assert first.form == {"auth-id": AUTH_ID, "auth-password": PASSWORD,
                          "domain-name": "example.com", "host": "home", "type": "A"}
    again = run(client, tmpdir, cloudns, ipv4=["home.example.com", "example.com"],
                ipv6=["home.example.com"], index6=NEW6)
    assert [r["action"] for r in again.json["records"]] == ["cached"] * 3
    sent = len(cloudns.requests)
    res = run(client, tmpdir, cloudns, index4="81.2.69.150")
    assert res.json["records"][0]["action"] == "updated", res
    assert paths(cloudns.requests[sent:]) == ["records.json", "mod-record.json"]
    mod = cloudns.requests[-1].form
    assert (mod["host"], mod["record"], mod["ttl"]) == ("home", "81.2.69.150", "60")
    assert cloudns.records("home")[0]["record"] == "81.2.69.150"
    assert cloudns.same_value_writes == 0


def test_unchanged_record_is_only_read(client, tmpdir, cloudns):
    cloudns.add_record("example.com", "home", "A", NEW, ttl=3600)
    res = run(client, tmpdir, cloudns, cache=False)
    assert res.json["records"][0]["action"] == "unchanged", res
    assert paths(cloudns.requests) == ["records.json"]


def test_update_keeps_the_records_ttl_unless_one_is_set(client, tmpdir, cloudns):
    rid = cloudns.add_record("example.com", "home", "A", "81.2.69.140", ttl=3600)
    assert run(client, tmpdir, cloudns, cache=False).code == 0
    assert cloudns.recs[rid]["ttl"] == "3600" and cloudns.recs[rid]["record"] == NEW
    res = run(client, tmpdir, cloudns, cache=False, ttl=300)  # same address, other ttl
    assert res.json["records"][0]["action"] == "updated", res
    assert cloudns.recs[rid]["ttl"] == "300" and cloudns.same_value_writes == 0
    bad = run(client, tmpdir, cloudns, cache=False, ttl=120)
    assert bad.code == 2 and '"ttl"' in bad.err and "3600" in bad.err


def test_zone_is_found_under_a_longer_suffix(client, tmpdir, cloudns):
    cloudns.zones.add("example.co.uk")
    res = run(client, tmpdir, cloudns, ipv4=["home.example.co.uk"])
    assert res.code == 0, res
    assert [r.form["domain-name"] for r in cloudns.requests] == [
        "co.uk", "example.co.uk", "example.co.uk"]


def test_wrong_password_is_refused_once(client, tmpdir, cloudns):
    res = run(client, tmpdir, cloudns, token="wrong-s3cr3t",
              ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "Invalid authentication" in res.err and '"token"' in res.err
    assert len(cloudns.requests) == 1


def test_sub_user_by_id_and_by_name(client, tmpdir, cloudns):
    cloudns.sub_ids["77"] = "sub-s3cr3t"
    cloudns.sub_users["ddns"] = "sub-s3cr3t"
    res = run(client, tmpdir, cloudns, id="sub-auth-id:77", token="sub-s3cr3t", cache=False)
    assert res.code == 0, res
    assert cloudns.requests[0].form["sub-auth-id"] == "77"
    assert "auth-id" not in cloudns.requests[0].form
    res = run(client, tmpdir, cloudns, id="sub-auth-user:ddns", token="sub-s3cr3t", cache=False)
    assert res.code == 0 and res.json["records"][0]["action"] == "unchanged", res
    bad = run(client, tmpdir, cloudns, id="sub-auth-id:78", token="sub-s3cr3t", cache=False)
    assert bad.code == 3 and "sub-auth-id" in bad.err


def test_rate_limit_is_a_clear_failure(client, tmpdir, cloudns):
    cloudns.rate_limited = True
    res = run(client, tmpdir, cloudns, ipv4=["a.example.com", "b.example.com"])
    assert res.code == 1, res
    assert "rate limit" in res.err and "20 requests per second" in res.err
    assert len(cloudns.requests) == 1


def test_other_failures_carry_the_status_description(client, tmpdir, cloudns):
    res = run(client, tmpdir, cloudns, ipv4=["home.example.org"])
    assert res.code == 1, res
    assert "Missing domain-name" in res.err and "no zone" in res.err
    cloudns.fail_next(200, json.dumps({"status": "Failed", "statusDescription":
                                       "The record already exists."}),
                      content_type="application/json", path="/dns/add-record.json")
    res = run(client, tmpdir, cloudns)
    assert res.code == 1 and "add-record.json: Failed: The record already exists." in res.err
