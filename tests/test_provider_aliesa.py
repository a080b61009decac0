"""Alibaba Cloud ESA's DNS records: the client against an emulator that checks every ACS3
signature with Python's own hmac (the signer itself is checked against the published example in
test_provider_alidns.py)."""
import json

import pytest

from fake_aliesa import AliESAEmulator

KEY_ID, SECRET = "LTAI5tExampleId", "esa-secret-s3cr3t"
NEW, NEWER, V6 = "81.2.69.142", "81.2.69.150", "2a02:ec0::1"


@pytest.fixture
def esa():
    with AliESAEmulator() as emu:
        emu.keys[KEY_ID] = SECRET
        emu.add_site("example.com")
        emu.add_site("other.example.net", 2)
        yield emu


def run(client, tmpdir, emu, **extra):
    data = {"dns": "aliesa", "id": KEY_ID, "token": SECRET, "endpoint": emu.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def actions(emu, start=0):
    return [r.headers.get("x-acs-action") for r in emu.requests[start:]]


def test_create_a_and_aaaa_then_cached_then_update_reads_first(client, tmpdir, esa):
    res = run(client, tmpdir, esa, ipv6=["home.example.com"], index6=V6)
    assert res.code == 0, res
    assert sorted((r["RecordName"], r["Data"]["Value"], r["Ttl"], r["Proxied"], r["BizName"])
                  for r in esa.records()) == [("home.example.com", V6, 1, True, "web"),
                                              ("home.example.com", NEW, 1, True, "web")]
    assert actions(esa) == ["ListSites", "ListRecords", "ListRecords", "CreateRecord",
                            "CreateRecord"]
    assert run(client, tmpdir, esa).json["records"][0]["action"] == "cached"
    sent = len(esa.requests)
    res = run(client, tmpdir, esa, index4=NEWER, ipv6=["home.example.com"], index6=V6)
    assert [r["action"] for r in res.json["records"]] == ["updated", "cached"], res
    assert actions(esa, sent) == ["ListSites", "ListRecords", "UpdateRecord"]
    assert sorted(r["Data"]["Value"] for r in esa.records()) == [V6, NEWER]
    assert esa.same_value_writes == 0


def test_unchanged_record_is_not_written_and_other_family_ignored(client, tmpdir, esa):
    esa.add_record(1113300533463584, "home.example.com", V6)
    esa.add_record(1113300533463584, "home.example.com", NEW, ttl=300)
    res = run(client, tmpdir, esa, cache=False, ttl=300)
    assert res.json["records"][0]["action"] == "unchanged", res
    assert actions(esa) == ["ListSites", "ListRecords"]
    res = run(client, tmpdir, esa, cache=False, ttl=600)
    assert res.json["records"][0]["action"] == "updated", res
    assert sorted((r["Data"]["Value"], r["Ttl"]) for r in esa.records()) == \
        [(V6, 1), (NEW, 600)]
    assert esa.same_value_writes == 0


def test_deepest_site_wins(client, tmpdir, esa):
    esa.add_site("sub.example.com", 3)
    res = run(client, tmpdir, esa, ipv4=["a.sub.example.com"])
    assert res.code == 0, res
    assert [r["SiteId"] for r in esa.records()] == [3]
    res = run(client, tmpdir, esa, ipv4=["a.example.org"])
    assert res.code != 0 and 'no site for "a.example.org"' in res.err, res


def test_wrong_secret_is_refused_once(client, tmpdir, esa):
    res = run(client, tmpdir, esa, token="wrong-s3cr3t", ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "SignatureDoesNotMatch" in res.err and len(esa.requests) == 1


def test_rate_limit_is_reported(client, tmpdir, esa):
    esa.throttle_next(count=5)
    res = run(client, tmpdir, esa)
    assert res.code != 0, res
    assert "Throttling.User" in res.err and "rate limit" in res.err
    assert esa.records() == []


def test_other_errors_name_the_code(client, tmpdir, esa):
    esa.fail_next(status=400, content_type="application/json", body=json.dumps(
        {"RequestId": "X", "Code": "Site.ServiceBusy", "Message": "busy"}))
    res = run(client, tmpdir, esa)
    assert res.code != 0 and "Site.ServiceBusy" in res.err, res


@pytest.mark.parametrize("body, field", [
    ({"Sites": [{"SiteId": "1/../2", "SiteName": "example.com"}]}, "SiteId"),
    ({"Sites": {"SiteId": 1}}, "Sites"),
])
def test_wrong_shapes_are_one_line_errors(client, tmpdir, esa, body, field):
    esa.fail_next(status=200, content_type="application/json", body=json.dumps(body))
    res = run(client, tmpdir, esa)
    assert res.code != 0 and "unexpected answer" in res.err and field in res.err, res
    assert "Traceback" not in res.err and esa.records() == []


def test_proxied_false_creates_and_sets_unproxied_records(client, tmpdir, esa):
    rid = esa.add_record(1113300533463584, "old.example.com", NEW, proxied=True, biz="api")
    res = run(client, tmpdir, esa, ipv4=["home.example.com", "old.example.com"], proxied=False,
              cache=False)
    assert [r["action"] for r in res.json["records"]] == ["created", "updated"], res
    assert sorted((r["RecordName"], r["Proxied"], r["BizName"]) for r in esa.records()) == [
        ("home.example.com", False, None), ("old.example.com", False, "api")]
    assert esa.recs[rid]["Data"]["Value"] == NEW and esa.same_value_writes == 0
    sent = len(esa.requests)
    res = run(client, tmpdir, esa, ipv4=["home.example.com", "old.example.com"], proxied=False,
              cache=False)
    assert [r["action"] for r in res.json["records"]] == ["unchanged", "unchanged"], res
    assert "UpdateRecord" not in actions(esa, sent)
