"""Alibaba Cloud DNS: the ACS3-HMAC-SHA256 signer against the published example of
https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
("Fixed parameter values"), and the client against an emulator that checks every signature with
Python's own hmac."""
import json

import pytest

from fake_alidns import AliDNSEmulator
from ddns_min.providers.signing import acs3, acs3_query

KEY_ID, SECRET = "LTAI5tExampleId", "ali-secret-s3cr3t"
NEW, NEWER, V6 = "81.2.69.142", "81.2.69.150", "2a02:ec0::1"


def test_acs3_matches_the_published_example():
    # The doc's fixed values: AccessKeyID YourAccessKeyId, AccessKeySecret YourAccessKeySecret,
    # nonce 3156853299f313e23d1673dc12e1703d, date 2023-10-26T10:22:32Z, POST RunInstances
    # 2014-05-26 to ecs.cn-shanghai.aliyuncs.com with ImageId and RegionId, empty body.
    query = acs3_query({"RegionId": "cn-shanghai",
                        "ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"})
    assert query == "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd" \
        "&RegionId=cn-shanghai"
    headers = acs3("YourAccessKeyId", "YourAccessKeySecret", "POST",
                   "ecs.cn-shanghai.aliyuncs.com", query,
                   {"x-acs-action": "RunInstances", "x-acs-version": "2014-05-26",
                    "x-acs-date": "2023-10-26T10:22:32Z",
                    "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d"})
    assert headers["x-acs-content-sha256"] == \
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert headers["Authorization"] == (
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;"
        "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0")


def test_acs3_query_encodes_as_rfc3986():
    assert acs3_query({"b": "x y*~", "a": 2, "c": "a/b"}) == "a=2&b=x%20y%2A~&c=a%2Fb"


@pytest.fixture
def alidns():
    with AliDNSEmulator() as emu:
        emu.keys[KEY_ID] = SECRET
        emu.domains.add("example.com")
        yield emu


def run(client, tmpdir, emu, **extra):
    data = {"dns": "alidns", "id": KEY_ID, "token": SECRET, "endpoint": emu.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def actions(emu, start=0):
    return [r.headers.get("x-acs-action") for r in emu.requests[start:]]


def test_create_a_and_aaaa_then_cached_then_update_reads_first(client, tmpdir, alidns):
    res = run(client, tmpdir, alidns, ipv4=["home.example.com", "example.com"],
              ipv6=["home.example.com"], index6=V6)
    assert res.code == 0, res
    assert sorted((r["RR"], r["Type"], r["Value"], r["Line"]) for r in alidns.records()) == [
        ("@", "A", NEW, "default"), ("home", "A", NEW, "default"),
        ("home", "AAAA", V6, "default")]
    # three names of one domain: one listing of the domain replaces their three reads
    assert actions(alidns) == ["DescribeDomainRecords"] + ["AddDomainRecord"] * 3
    assert run(client, tmpdir, alidns).json["records"][0]["action"] == "cached"
    sent = len(alidns.requests)
    res = run(client, tmpdir, alidns, index4=NEWER)
    assert res.json["records"][0]["action"] == "updated", res
    assert actions(alidns, sent) == ["DescribeSubDomainRecords", "UpdateDomainRecord"]
    assert [r["Value"] for r in alidns.records("home") if r["Type"] == "A"] == [NEWER]
    assert alidns.same_value_writes == 0


def test_unchanged_record_is_not_written(client, tmpdir, alidns):
    alidns.add_record("example.com", "home", "A", NEW, ttl=600)
    res = run(client, tmpdir, alidns, cache=False)
    assert res.json["records"][0]["action"] == "unchanged", res
    assert actions(alidns) == ["DescribeSubDomainRecords"]
    assert alidns.same_value_writes == 0


def test_ttl_and_line_and_a_zone_two_labels_deep(client, tmpdir, alidns):
    alidns.domains.add("example.com.cn")
    res = run(client, tmpdir, alidns, ipv4=["a.example.com.cn"], ttl=120, line="telecom")
    assert res.code == 0, res
    assert [(r["DomainName"], r["RR"], r["TTL"], r["Line"]) for r in alidns.records()] == \
        [("example.com.cn", "a", 120, "telecom")]
    # com.cn first (not in the account), then example.com.cn
    assert [r.query.get("DomainName") for r in alidns.requests[:2]] == ["com.cn",
                                                                         "example.com.cn"]


def test_wrong_secret_is_refused_once(client, tmpdir, alidns):
    res = run(client, tmpdir, alidns, token="wrong-s3cr3t",
              ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "SignatureDoesNotMatch" in res.err and len(alidns.requests) == 1


def test_unknown_key_id_is_refused_once(client, tmpdir, alidns):
    res = run(client, tmpdir, alidns, id="LTAIunknown", ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "InvalidAccessKeyId.NotFound" in res.err and len(alidns.requests) == 1


def test_rate_limit_is_reported(client, tmpdir, alidns):
    alidns.throttle_next(count=5)
    res = run(client, tmpdir, alidns)
    assert res.code != 0, res
    assert "Throttling.User" in res.err and "rate limit" in res.err
    assert alidns.records() == []


def test_other_errors_name_the_code(client, tmpdir, alidns):
    res = run(client, tmpdir, alidns, ipv4=["home.example.org"])
    assert res.code != 0, res
    assert 'no domain for "home.example.org"' in res.err
    alidns.fail_next(status=400, content_type="application/json", body=json.dumps(
        {"RequestId": "X", "Code": "QuotaExceeded.Record", "Message": "too many records"}),
        path="/")
    res = run(client, tmpdir, alidns, cache=False)
    assert res.code != 0 and "QuotaExceeded.Record" in res.err, res


def test_the_emulators_verifier_matches_the_published_example():
    from fake_alidns import acs3_signature
    headers = {"host": "ecs.cn-shanghai.aliyuncs.com", "x-acs-action": "RunInstances",
               "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
               "7852b855", "x-acs-date": "2023-10-26T10:22:32Z",
               "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
               "x-acs-version": "2014-05-26"}
    assert acs3_signature("YourAccessKeySecret", "POST", "/?RegionId=cn-shanghai&ImageId="
                          "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", headers,
                          sorted(headers), b"") == \
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"


@pytest.mark.parametrize("body, field", [
    ({"DomainRecords": {"Record": "not a list"}}, "DomainRecords.Record"),
    ({"DomainRecords": {"Record": [{"RR": "home", "Type": "A", "Value": NEW,
                                    "RecordId": "../../x"}]}}, "RecordId"),
    ({"DomainRecords": {"Record": [{"RR": "home", "Type": "A", "Value": 5,
                                    "RecordId": "1"}]}}, "Record.Value"),
])
def test_wrong_shapes_are_one_line_errors(client, tmpdir, alidns, body, field):
    alidns.fail_next(status=200, content_type="application/json", body=json.dumps(body))
    res = run(client, tmpdir, alidns)
    assert res.code != 0 and "unexpected answer" in res.err and field in res.err, res
    assert "Traceback" not in res.err and alidns.records() == []


OLD = "81.2.69.1"


def test_names_of_one_domain_are_listed_once_then_only_what_differs_is_written(
        client, tmpdir, alidns):
    names = ["h%d.example.com" % i for i in range(8)] + ["example.com"]
    for i in range(6):  # h0, h2, h4 hold the old address, h1, h3, h5 the new one
        alidns.add_record("example.com", "h%d" % i, "A", NEW if i % 2 else OLD)
    alidns.add_record("example.com", "h6", "TXT", "not an address")
    alidns.add_record("example.com", "h7", "AAAA", V6)
    res = run(client, tmpdir, alidns, ipv4=names, cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == [
        "updated", "unchanged"] * 3 + ["created"] * 3
    acts = actions(alidns)
    assert acts[0] == "DescribeDomainRecords" and acts.count("DescribeDomainRecords") == 1
    assert "DescribeSubDomainRecords" not in acts
    assert acts.count("UpdateDomainRecord") == 3 and acts.count("AddDomainRecord") == 3
    first = alidns.requests[0].query
    assert first.get("TypeKeyWord") == "A" and first.get("PageNumber") == "1"
    assert alidns.same_value_writes == 0
    assert sorted(r["RR"] for r in alidns.records() if r["Type"] == "A" and
                  r["Value"] == NEW) == sorted(["@"] + ["h%d" % i for i in range(8)])
    assert len(alidns.records()) == 11


def test_a_listing_pages_and_leaves_types_out_when_both_are_wanted(client, tmpdir, alidns):
    for i in range(150):
        alidns.add_record("example.com", "x%d" % i, "A", OLD)
    alidns.add_record("example.com", "a", "A", OLD)
    alidns.add_record("example.com", "b", "AAAA", V6)
    res = run(client, tmpdir, alidns, ipv4=["a.example.com", "b.example.com"],
              ipv6=["b.example.com"], index6=V6, cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["updated", "created", "unchanged"]
    lists = [r.query for r in alidns.requests
             if r.headers.get("x-acs-action") == "DescribeDomainRecords"]
    assert [q.get("PageNumber") for q in lists] == ["1", "2"]
    assert "TypeKeyWord" not in lists[0] and "DescribeSubDomainRecords" not in actions(alidns)
    assert alidns.same_value_writes == 0


def test_big_domain_is_read_name_by_name(client, tmpdir, alidns):
    for i in range(250):
        alidns.add_record("example.com", "x%d" % i, "A", OLD)
    res = run(client, tmpdir, alidns, ipv4=["a.example.com", "b.example.com"], cache=False)
    assert res.code == 0, res
    # 3 pages for 2 names: page 1 only, then each name on its own
    assert actions(alidns) == ["DescribeDomainRecords", "DescribeSubDomainRecords",
                               "DescribeSubDomainRecords", "AddDomainRecord",
                               "AddDomainRecord"]
    assert alidns.requests[0].query.get("PageNumber") == "1"


def test_a_single_name_is_read_as_before(client, tmpdir, alidns):
    alidns.add_record("example.com", "home", "A", OLD)
    res = run(client, tmpdir, alidns, cache=False)
    assert res.code == 0, res
    assert actions(alidns) == ["DescribeSubDomainRecords", "UpdateDomainRecord"]


def test_listing_finds_the_domain_behind_a_two_label_suffix_with_a_line(client, tmpdir, alidns):
    alidns.domains.add("example.com.cn")
    alidns.add_record("example.com.cn", "a", "A", OLD, line="telecom")
    alidns.add_record("example.com.cn", "b", "A", OLD, line="unicom")
    res = run(client, tmpdir, alidns, ipv4=["a.example.com.cn", "b.example.com.cn"],
              line="telecom", cache=False)
    assert res.code == 0, res
    assert [(r.headers.get("x-acs-action"), r.query.get("DomainName"), r.query.get("Line"))
            for r in alidns.requests[:2]] == [
        ("DescribeDomainRecords", "com.cn", "telecom"),
        ("DescribeDomainRecords", "example.com.cn", "telecom")]
    assert actions(alidns, 2) == ["UpdateDomainRecord", "AddDomainRecord"]
    assert sorted((r["RR"], r["Value"], r["Line"]) for r in alidns.records()) == [
        ("a", NEW, "telecom"), ("b", OLD, "unicom"), ("b", NEW, "telecom")]
