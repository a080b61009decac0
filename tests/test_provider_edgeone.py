# -*- coding: utf-8 -*-
"""Tencent Cloud EdgeOne (teo 2022-09-01): "edgeone" (acceleration domains' origins) and
"edgeone_dns" (DNS records), against an emulator that checks every TC3 signature with Python's
own hmac; and the TC3 signer against Tencent's published example."""
import json

import pytest

from fake_edgeone import EdgeOneEmulator
from ddns_min.providers.signing import tc3

SECRET_ID, SECRET_KEY = "AKIDedgeone", "teo-key-s3cr3t"
OLD, NEW = "81.2.69.140", "81.2.69.142"
V6 = "2a02:ec0::1"


def test_tc3_matches_tencents_published_example():
    # "签名方法 v3" (https://cloud.tencent.com/document/api/213/30654, the revision signing
    # content-type;host;x-tc-action): CVM DescribeInstances at 1551113065 with the doc's
    # (masked) keys -> Signature=be4f67d3...770a3.
    payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], ' \
              '"Name": "instance-name"}]}'
    assert tc3("AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******",
               "cvm", "cvm.tencentcloudapi.com", "DescribeInstances", payload, 1551113065) == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/"
        "tc3_request, SignedHeaders=content-type;host;x-tc-action, "
        "Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3")


@pytest.fixture
def teo():
    with EdgeOneEmulator() as emu:
        emu.keys[SECRET_ID] = SECRET_KEY
        emu.add_zone("example.com")
        yield emu


def run(client, tmpdir, teo, **extra):
    data = {"dns": "edgeone_dns", "id": SECRET_ID, "token": SECRET_KEY, "endpoint": teo.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def actions(teo, since=0):
    return [r.headers["x-tc-action"] for r in teo.requests[since:]]


def test_dns_creates_a_and_aaaa_then_caches_then_updates_after_reading(client, tmpdir, teo):
    res = run(client, tmpdir, teo, ipv4=["home.example.com", "example.com"],
              ipv6=["home.example.com"], index6=V6, ttl=120)
    assert res.code == 0, res
    assert sorted((r["Name"], r["Type"], r["Content"], r["TTL"]) for r in teo.records()) == [
        ("example.com", "A", NEW, 120), ("home.example.com", "A", NEW, 120),
        ("home.example.com", "AAAA", V6, 120)]
    # three names of one site: one listing of the site replaces their three reads
    assert actions(teo) == ["DescribeZones", "DescribeZones", "DescribeDnsRecords",
                            "CreateDnsRecord", "CreateDnsRecord", "CreateDnsRecord"]
    assert teo.requests[2].json == {"ZoneId": teo.zones["example.com"], "Limit": 100,
                                    "Offset": 0}
    zones = teo.requests[0].json["Filters"][0]
    assert zones["Name"] == "zone-name" and zones["Values"] == ["example.com", "home.example.com"]
    assert all(r.json["ZoneId"] == teo.zones["example.com"] for r in teo.requests
               if r.headers["x-tc-action"] != "DescribeZones")
    res = run(client, tmpdir, teo, ttl=120)
    assert res.json["records"][0]["action"] == "cached", res
    sent = len(teo.requests)
    res = run(client, tmpdir, teo, index4="81.2.69.150", ttl=120)
    assert res.json["records"][0]["action"] == "updated", res
    assert actions(teo, sent) == ["DescribeZones", "DescribeDnsRecords", "ModifyDnsRecords"]
    a = [r for r in teo.records("home.example.com") if r["Type"] == "A"]
    assert teo.requests[-1].json["DnsRecords"] == [
        {"RecordId": a[0]["RecordId"], "Name": "home.example.com", "Type": "A",
         "Content": "81.2.69.150", "TTL": 120}]
    assert len(a) == 1 and a[0]["Content"] == "81.2.69.150"
    assert teo.same_value_writes == 0


def test_dns_unchanged_record_is_only_read(client, tmpdir, teo):
    teo.add_record("home.example.com", "A", NEW)
    res = run(client, tmpdir, teo, cache=False)
    assert res.json["records"][0]["action"] == "unchanged", res
    assert actions(teo) == ["DescribeZones", "DescribeDnsRecords"]


def test_dns_picks_the_longest_site_and_a_changed_ttl_is_written(client, tmpdir, teo):
    teo.add_zone("lab.example.com")
    rid = teo.add_record("home.lab.example.com", "A", NEW, ttl=600)
    res = run(client, tmpdir, teo, ipv4=["home.lab.example.com"], ttl=60, cache=False)
    assert res.json["records"][0]["action"] == "updated", res
    assert teo.requests[1].json["ZoneId"] == teo.zones["lab.example.com"]
    assert teo.recs[rid]["TTL"] == 60 and teo.recs[rid]["Content"] == NEW


def test_acceleration_domain_origin_is_read_then_modified(client, tmpdir, teo):
    teo.add_domain("home.example.com", OLD, backup="81.2.69.1")
    res = run(client, tmpdir, teo, dns="edgeone")
    assert res.code == 0 and res.json["records"][0]["action"] == "updated", res
    assert actions(teo) == ["DescribeZones", "DescribeAccelerationDomains",
                            "ModifyAccelerationDomain"]
    assert teo.requests[-1].json == {
        "ZoneId": teo.zones["example.com"], "DomainName": "home.example.com",
        "OriginInfo": {"OriginType": "IP_DOMAIN", "Origin": NEW, "BackupOrigin": "81.2.69.1"}}
    assert teo.domains["home.example.com"]["OriginDetail"]["Origin"] == NEW
    assert run(client, tmpdir, teo, dns="edgeone").json["records"][0]["action"] == "cached"
    tmpdir.join("s.json").remove()
    sent = len(teo.requests)
    assert run(client, tmpdir, teo, dns="edgeone").json["records"][0]["action"] == "unchanged"
    assert actions(teo, sent) == ["DescribeZones", "DescribeAccelerationDomains"]
    assert teo.same_value_writes == 0


def test_acceleration_domain_missing_is_created_and_other_origins_are_left(client, tmpdir,
                                                                          teo):
    res = run(client, tmpdir, teo, dns="edgeone", ipv6=["v6.example.com"], index6=V6,
              ipv4=[])
    assert res.code == 0, res
    assert teo.domains["v6.example.com"]["OriginDetail"]["Origin"] == V6
    assert actions(teo)[-1] == "CreateAccelerationDomain"
    teo.add_domain("cos.example.com", "bucket.cos.ap-guangzhou.myqcloud.com", kind="COS")
    res = run(client, tmpdir, teo, dns="edgeone", ipv4=["cos.example.com"])
    assert res.code != 0 and 'of type "COS"' in res.err, res
    assert actions(teo)[-1] == "DescribeAccelerationDomains"


def test_acceleration_domain_cannot_take_both_families(client, tmpdir, teo):
    res = run(client, tmpdir, teo, dns="edgeone", ipv6=["home.example.com"], index6=V6)
    assert res.code == 2 and "one origin" in res.err, res
    assert teo.requests == []


@pytest.mark.parametrize("dns", ["edgeone", "edgeone_dns"])
def test_wrong_key_is_refused_once(client, tmpdir, teo, dns):
    res = run(client, tmpdir, teo, dns=dns, token="wrong-s3cr3t",
              ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "AuthFailure.SignatureFailure" in res.err and len(teo.requests) == 1
    res = run(client, tmpdir, teo, dns=dns, id="AKIDunknown", cache=False)
    assert res.code == 3 and "AuthFailure.SecretIdNotFound" in res.err, res


def test_rate_limit_stops_the_run_with_the_code(client, tmpdir, teo):
    teo.limited = 1
    res = run(client, tmpdir, teo, ipv4=["a.example.com", "b.example.com"])
    assert res.code not in (0, 3), res
    assert "RequestLimitExceeded" in res.err and "rate limit" in res.err
    assert len(teo.requests) == 1


def test_missing_site_names_the_config_keys(client, tmpdir, teo):
    res = run(client, tmpdir, teo, ipv4=["home.example.org"])
    assert res.code == 1 and "no site" in res.err and '"ipv4"' in res.err, res
    assert actions(teo) == ["DescribeZones"]


def test_wrong_shapes_and_api_errors_are_one_line(client, tmpdir, teo):
    zones = [{"ZoneId": teo.zones["example.com"], "ZoneName": "example.com"}]
    teo.fail_next(200, json.dumps({"Response": {"Zones": zones, "DnsRecords": "nope",
                                                "RequestId": "x"}}),
                  content_type="application/json", count=2)
    res = run(client, tmpdir, teo)
    assert res.code == 1 and '"DnsRecords" is "nope"' in res.err, res
    assert "Traceback" not in res.err
    res = run(client, tmpdir, teo, ttl=30)  # refused by our check before any request
    assert res.code == 2 and '"ttl"' in res.err, res
    teo.fail_next(200, json.dumps({"Response": {"Error": {
        "Code": "InvalidParameter.InvalidTTL", "Message": "bad ttl"}, "RequestId": "x"}}),
        content_type="application/json")
    res = run(client, tmpdir, teo, cache=False)
    assert res.code == 1 and "InvalidParameter.InvalidTTL: bad ttl" in res.err, res
    assert '"ttl"' in res.err


OLD = "81.2.69.1"


def test_dns_names_of_one_site_are_listed_once_then_only_what_differs_is_written(
        client, tmpdir, teo):
    names = ["h%d.example.com" % i for i in range(8)] + ["example.com"]
    for i in range(6):  # h0, h2, h4 hold the old address, h1, h3, h5 the new one
        teo.add_record("h%d.example.com" % i, "A", NEW if i % 2 else OLD)
    teo.add_record("h6.example.com", "TXT", "not an address")
    teo.add_record("h7.example.com", "AAAA", V6)
    res = run(client, tmpdir, teo, ipv4=names, cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == [
        "updated", "unchanged"] * 3 + ["created"] * 3
    acts = actions(teo)
    assert acts[:len(names)] == ["DescribeZones"] * len(names)  # one per name, as before
    assert acts.count("DescribeDnsRecords") == 1 and acts[len(names)] == "DescribeDnsRecords"
    assert acts.count("ModifyDnsRecords") == 3 and acts.count("CreateDnsRecord") == 3
    assert teo.requests[len(names)].json == {
        "ZoneId": teo.zones["example.com"], "Limit": 100, "Offset": 0,
        "Filters": [{"Name": "type", "Values": ["A"], "Fuzzy": False}]}
    assert teo.same_value_writes == 0
    assert sorted(r["Name"] for r in teo.records() if r["Type"] == "A" and
                  r["Content"] == NEW) == sorted(names)


def test_dns_listing_pages_by_offset(client, tmpdir, teo):
    for i in range(150):
        teo.add_record("x%d.example.com" % i, "A", OLD)
    teo.add_record("a.example.com", "A", OLD)
    teo.add_record("b.example.com", "AAAA", V6)
    res = run(client, tmpdir, teo, ipv4=["a.example.com", "b.example.com"],
              ipv6=["b.example.com"], index6=V6, cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["updated", "created", "unchanged"]
    lists = [r.json for r in teo.requests if r.headers["x-tc-action"] == "DescribeDnsRecords"]
    assert [(q.get("Offset"), "Filters" in q) for q in lists] == [(0, False), (100, False)]
    assert teo.same_value_writes == 0


def test_dns_big_site_is_read_name_by_name(client, tmpdir, teo):
    for i in range(250):
        teo.add_record("x%d.example.com" % i, "A", OLD)
    res = run(client, tmpdir, teo, ipv4=["a.example.com", "b.example.com"], cache=False)
    assert res.code == 0, res
    # 3 pages for 2 names: page 1 only, then each name on its own
    assert actions(teo) == ["DescribeZones"] * 2 + ["DescribeDnsRecords"] * 3 + \
        ["CreateDnsRecord"] * 2
    assert teo.requests[2].json["Offset"] == 0
    assert [r.json["Filters"][0]["Values"] for r in teo.requests[3:5]] == [
        ["a.example.com"], ["b.example.com"]]


def test_dns_single_name_is_read_as_before(client, tmpdir, teo):
    teo.add_record("home.example.com", "A", OLD)
    res = run(client, tmpdir, teo, cache=False)
    assert res.code == 0, res
    assert actions(teo) == ["DescribeZones", "DescribeDnsRecords", "ModifyDnsRecords"]
    assert "Offset" not in teo.requests[1].json


def test_dns_name_without_site_is_looked_up_once(client, tmpdir, teo):
    res = run(client, tmpdir, teo, ipv4=["a.example.org", "a.example.com", "b.example.com"],
              cache=False)
    assert res.code == 1 and "no site" in res.err, res
    assert actions(teo).count("DescribeZones") == 3
    assert actions(teo).count("DescribeDnsRecords") == 1
    assert actions(teo).count("CreateDnsRecord") == 2


def test_acceleration_domains_are_not_listed(client, tmpdir, teo):
    res = run(client, tmpdir, teo, dns="edgeone", ipv4=["a.example.com", "b.example.com"],
              cache=False)
    assert res.code == 0, res
    assert actions(teo).count("DescribeAccelerationDomains") == 2
