"""Huawei Cloud DNS: the SDK-HMAC-SHA256 signer against Huawei's published example, and the client
against an emulator that checks every signature with Python's own hmac (fake_huaweidns.py)."""
import json

import pytest

from fake_huaweidns import HuaweiDNSEmulator
from ddns_min.providers.signing import sdk_hmac_sha256, sdk_query

AK, SK = "AKs3cr3tHUAWEI", "sk-s3cr3t-MFyfvK41ba2giqM7Uio6Pznp"
NEW = "81.2.69.142"


def test_signer_matches_huaweis_published_example():
    """Huawei's example on
    https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html:
    GET https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs
    ?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0, X-Sdk-Date 20191115T033655Z, signed
    headers content-type;host;x-sdk-date, empty body (hashed canonical request b25362e6...), and
    its results on -003 (string to sign), -004 (SK MFyfvK41..., the signature) and -005 (the
    Authorization header)."""
    query = sdk_query([("marker", "13551d6b-755d-4757-b956-536f674975c0"), ("limit", 2)])
    assert query == "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
    auth = sdk_hmac_sha256(
        "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", "GET",
        "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", query,
        {"Content-Type": "application/json", "Host": "service.region.example.com",
         "X-Sdk-Date": "20191115T033655Z"}, "")
    assert auth == ("SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;"
                    "host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381b"
                    "b430d6870f4f6ebe")


def test_query_is_encoded_and_sorted():
    assert sdk_query([("name", "a b~/.x"), ("b", "2"), ("a", "1")]) == \
        "a=1&b=2&name=a%20b~%2F.x"


@pytest.fixture
def huawei():
    with HuaweiDNSEmulator() as emu:
        emu.keys[AK] = SK
        emu.add_zone("example.com")
        yield emu


def run(client, tmpdir, huawei, **extra):
    data = {"dns": "huaweidns", "id": AK, "token": SK, "endpoint": huawei.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def calls(emu, start=0):
    return [(r.method, r.path.split("/")[-1] if r.path.endswith("recordsets") or
             r.path.endswith("zones") else "recordsets/ID") for r in emu.requests[start:]]


def test_create_a_and_aaaa_then_cached_then_update_reads_first(client, tmpdir, huawei):
    res = run(client, tmpdir, huawei, ipv4=["home.example.com", "example.com"],
              ipv6=["home.example.com"], index6="2a02:ec0::1")
    assert res.code == 0, res
    assert sorted((r["name"], r["type"], r["records"][0]) for r in huawei.records()) == [
        ("example.com.", "A", NEW), ("home.example.com.", "A", NEW),
        ("home.example.com.", "AAAA", "2a02:ec0::1")]
    zones = huawei.requests[0]
    assert zones.query == {"type": "public", "name": "example.com.", "search_mode": "equal"}
    listing = [r for r in huawei.requests if r.method == "GET" and r.path.endswith("recordsets")]
    # three names of one zone: one listing of the zone (both types) replaces their three reads
    assert listing[0].query == {"limit": "100", "offset": "0"}
    assert [r.json for r in huawei.requests if r.method == "POST"][0] == \
        {"name": "home.example.com.", "type": "A", "records": [NEW]}
    assert calls(huawei) == [("GET", "zones"), ("GET", "recordsets")] + \
        [("POST", "recordsets")] * 3
    assert [r["action"] for r in run(client, tmpdir, huawei, ipv4=["home.example.com",
            "example.com"], ipv6=["home.example.com"], index6="2a02:ec0::1").json["records"]] \
        == ["cached"] * 3
    sent = len(huawei.requests)
    res = run(client, tmpdir, huawei, index4="81.2.69.150", ttl=600)
    assert res.json["records"][0]["action"] == "updated", res
    assert calls(huawei, sent) == [("GET", "zones"), ("GET", "recordsets"),
                                   ("PUT", "recordsets/ID")]
    assert huawei.requests[-1].json == {"name": "home.example.com.", "type": "A",
                                        "records": ["81.2.69.150"], "ttl": 600}
    assert [r["records"] for r in huawei.records("home.example.com") if r["type"] == "A"] == \
        [["81.2.69.150"]]
    assert huawei.same_value_writes == 0


def test_unchanged_record_is_not_written(client, tmpdir, huawei):
    huawei.add_record("home.example.com", "A", [NEW], ttl=120)
    res = run(client, tmpdir, huawei, cache=False)
    assert res.code == 0 and res.json["records"][0]["action"] == "unchanged", res
    assert calls(huawei) == [("GET", "zones"), ("GET", "recordsets")]
    huawei.add_record("home.example.com", "A", ["81.2.69.1"], line="Dianxin")
    res = run(client, tmpdir, huawei, cache=False, line="Dianxin")
    assert res.json["records"][0]["action"] == "updated", res
    assert huawei.requests[-2].query["line_id"] == "Dianxin"
    assert sorted(r["records"][0] for r in huawei.records()) == [NEW, NEW]
    assert huawei.same_value_writes == 0


def test_line_is_sent_on_create(client, tmpdir, huawei):
    res = run(client, tmpdir, huawei, line="Yidong", ttl=120)
    assert res.code == 0, res
    assert huawei.requests[-1].json == {"name": "home.example.com.", "type": "A",
                                        "records": [NEW], "ttl": 120, "line": "Yidong"}


def test_wrong_key_is_refused_once(client, tmpdir, huawei):
    res = run(client, tmpdir, huawei, token="wrong-s3cr3t", ipv4=["a.example.com",
                                                                 "b.example.com"])
    assert res.code == 3, res
    assert "APIGW.0301" in res.err and '"token"' in res.err and len(huawei.requests) == 1


def test_throttling_is_a_rate_limit(client, tmpdir, huawei):
    huawei.throttle = True
    res = run(client, tmpdir, huawei, ipv4=["a.example.com", "b.example.com"])
    assert res.code == 1, res
    assert "rate limit" in res.err and "APIGW.0308" in res.err
    assert len(huawei.requests) == 1


def test_other_errors_name_the_code(client, tmpdir, huawei):
    huawei.fail_next(400, json.dumps({"code": "DNS.0002", "message": "Invalid request."}),
                     content_type="application/json", method="POST")
    res = run(client, tmpdir, huawei)
    assert res.code == 1 and "DNS.0002: Invalid request." in res.err and '"ttl"' in res.err
    res = run(client, tmpdir, huawei, ipv4=["home.example.org"])
    assert res.code == 1 and 'no public zone for "home.example.org"' in res.err


def test_odd_answers_are_one_line_errors(client, tmpdir, huawei):
    huawei.fail_next(200, json.dumps({"zones": [{"name": "example.com.", "id": "../x"}]}),
                     content_type="application/json")
    res = run(client, tmpdir, huawei)
    assert res.code == 1 and "not an id" in res.err and "Traceback" not in res.err


def test_signed_host_drops_only_the_default_port():
    from ddns_min.providers.huaweidns import _host
    assert _host("https://dns.myhuaweicloud.com") == "dns.myhuaweicloud.com"
    assert _host("https://dns.myhuaweicloud.com:443/") == "dns.myhuaweicloud.com"
    assert _host("http://127.0.0.1:8080") == "127.0.0.1:8080"


OLD, V6 = "81.2.69.1", "2a02:ec0::1"


def test_names_of_one_zone_are_listed_once_then_only_what_differs_is_written(
        client, tmpdir, huawei):
    names = ["h%d.example.com" % i for i in range(8)] + ["example.com"]
    for i in range(6):  # h0, h2, h4 hold the old address, h1, h3, h5 the new one
        huawei.add_record("h%d.example.com" % i, "A", [NEW if i % 2 else OLD])
    huawei.add_record("h6.example.com", "TXT", ['"not an address"'])
    huawei.add_record("h7.example.com", "AAAA", [V6])
    res = run(client, tmpdir, huawei, ipv4=names, cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == [
        "updated", "unchanged"] * 3 + ["created"] * 3
    assert calls(huawei)[:2] == [("GET", "zones"), ("GET", "recordsets")]
    assert calls(huawei).count(("GET", "recordsets")) == 1
    assert calls(huawei).count(("PUT", "recordsets/ID")) == 3
    assert calls(huawei).count(("POST", "recordsets")) == 3
    assert huawei.requests[1].query == {"type": "A", "limit": "100", "offset": "0"}
    assert huawei.same_value_writes == 0
    assert sorted(r["name"] for r in huawei.records() if r["type"] == "A" and
                  r["records"] == [NEW]) == sorted(n + "." for n in names)


def test_a_listing_pages_by_offset_and_keeps_the_line(client, tmpdir, huawei):
    for i in range(150):
        huawei.add_record("x%d.example.com" % i, "A", [OLD], line="Dianxin")
    huawei.add_record("a.example.com", "A", [OLD], line="Dianxin")
    huawei.add_record("a.example.com", "A", [OLD])
    huawei.add_record("b.example.com", "AAAA", [V6], line="Dianxin")
    res = run(client, tmpdir, huawei, ipv4=["a.example.com", "b.example.com"],
              ipv6=["b.example.com"], index6=V6, line="Dianxin", cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["updated", "created", "unchanged"]
    lists = [r.query for r in huawei.requests if r.method == "GET" and
             r.path.endswith("recordsets")]
    assert lists == [{"limit": "100", "offset": "0", "line_id": "Dianxin"},
                     {"limit": "100", "offset": "100", "line_id": "Dianxin"}]
    assert sorted((r["name"], r["line"], r["records"][0]) for r in huawei.records()
                  if r["name"] < "c") == [
        ("a.example.com.", "Dianxin", NEW), ("a.example.com.", "default_view", OLD),
        ("b.example.com.", "Dianxin", V6), ("b.example.com.", "Dianxin", NEW)]
    assert huawei.same_value_writes == 0


def test_big_zone_is_read_name_by_name(client, tmpdir, huawei):
    for i in range(250):
        huawei.add_record("x%d.example.com" % i, "A", [OLD])
    res = run(client, tmpdir, huawei, ipv4=["a.example.com", "b.example.com"], cache=False)
    assert res.code == 0, res
    # 3 pages for 2 names: page 1 only, then each name on its own
    assert calls(huawei) == [("GET", "zones")] + [("GET", "recordsets")] * 3 + \
        [("POST", "recordsets")] * 2
    assert huawei.requests[1].query == {"type": "A", "limit": "100", "offset": "0"}
    assert [r.query.get("name") for r in huawei.requests[2:4]] == ["a.example.com.",
                                                                   "b.example.com."]


def test_a_single_name_is_read_as_before(client, tmpdir, huawei):
    huawei.add_record("home.example.com", "A", [OLD])
    res = run(client, tmpdir, huawei, cache=False)
    assert res.code == 0, res
    assert calls(huawei) == [("GET", "zones"), ("GET", "recordsets"), ("PUT", "recordsets/ID")]
    assert huawei.requests[1].query == {"name": "home.example.com.", "type": "A",
                                        "search_mode": "equal"}


def test_a_name_without_zone_is_looked_up_once(client, tmpdir, huawei):
    huawei.add_zone("example.net")
    res = run(client, tmpdir, huawei, ipv4=["a.example.org", "a.example.net",
                                            "b.example.net"], cache=False)
    assert res.code == 1 and 'no public zone for "a.example.org"' in res.err, res
    zones = [r.query["name"] for r in huawei.requests if r.path.endswith("zones")]
    assert sorted(zones) == ["a.example.org.", "example.net.", "example.org."]
    assert calls(huawei).count(("GET", "recordsets")) == 1
    assert calls(huawei).count(("POST", "recordsets")) == 2
