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
    # three names of one zone: one listing (both types: no `type`) replaces three reads
    assert paths(cloudns.requests) == ["records.json"] + ["add-record.json"] * 3
    first = cloudns.requests[0]
    assert first.method == "POST" and first.query == {}
    assert first.form == {"auth-id": AUTH_ID, "auth-password": PASSWORD,
                          "domain-name": "example.com", "rows-per-page": "100", "page": "1"}
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


OLD = "81.2.69.1"


def forms(requests):
    return [(r.path.rsplit("/", 1)[-1], r.form.get("host"), r.form.get("page"))
            for r in requests if "records" in r.path]


def test_many_names_one_listing_then_only_the_writes_needed(client, tmpdir, cloudns):
    names = ["h%d.example.com" % i for i in range(6)] + ["example.com"]
    for i in range(4):  # h0, h2 hold the old address, h1, h3 the new one; h4, h5, apex missing
        cloudns.add_record("example.com", "h%d" % i, "A", NEW if i % 2 else OLD, ttl=60)
    cloudns.add_record("example.com", "h4", "TXT", "not an address")
    res = run(client, tmpdir, cloudns, ipv4=names, cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == [
        "updated", "unchanged", "updated", "unchanged", "created", "created", "created"]
    assert paths(cloudns.requests) == ["records.json"] + ["mod-record.json"] * 2 + \
        ["add-record.json"] * 3
    assert cloudns.requests[0].form["type"] == "A" and "host" not in cloudns.requests[0].form
    assert cloudns.same_value_writes == 0
    assert sorted(r["host"] for r in cloudns.records() if r["type"] == "A" and
                  r["record"] == NEW) == ["", "h0", "h1", "h2", "h3", "h4", "h5"]


def test_a_zone_of_two_pages_is_listed_page_by_page(client, tmpdir, cloudns):
    for i in range(150):
        cloudns.add_record("example.com", "x%d" % i, "A", OLD, ttl=60)
    names = ["x%d.example.com" % i for i in (0, 120, 149)] + ["a.example.com", "b.example.com"]
    res = run(client, tmpdir, cloudns, ipv4=names, cache=False)
    assert res.code == 0, res
    # page 1 is full: the count says 2 pages; 3 listing requests serve 5 names
    assert paths(cloudns.requests)[:3] == ["records.json", "get-records-pages-count.json",
                                          "records.json"]
    assert [r.form.get("page") for r in cloudns.requests[:3]] == ["1", None, "2"]
    assert cloudns.requests[1].form["rows-per-page"] == "100"
    assert sorted(paths(cloudns.requests[3:])) == ["add-record.json"] * 2 + \
        ["mod-record.json"] * 3
    assert cloudns.same_value_writes == 0


def test_a_zone_with_more_pages_than_names_is_read_name_by_name(client, tmpdir, cloudns):
    for i in range(250):
        cloudns.add_record("example.com", "x%d" % i, "A", OLD, ttl=60)
    res = run(client, tmpdir, cloudns, ipv4=["a.example.com", "b.example.com", "x7.example.com"],
              cache=False)
    assert res.code == 0, res
    # page 1 and the count (3 pages, 4 requests in all) cost more than 3 reads: no page 2
    assert forms(cloudns.requests)[:5] == [
        ("records.json", None, "1"), ("get-records-pages-count.json", None, None),
        ("records.json", "a", None), ("records.json", "b", None), ("records.json", "x7", None)]
    start = len(cloudns.requests)
    res = run(client, tmpdir, cloudns, ipv4=["c.example.com", "x8.example.com"], cache=False)
    assert res.code == 0, res
    # two names: a full page 1 is enough to give up, without the count
    assert forms(cloudns.requests[start:])[:3] == [
        ("records.json", None, "1"), ("records.json", "c", None), ("records.json", "x8", None)]


def test_listing_finds_the_zone_behind_a_two_label_suffix(client, tmpdir, cloudns):
    cloudns.zones.add("example.co.uk")
    cloudns.add_record("example.co.uk", "a", "A", OLD, ttl=60)
    res = run(client, tmpdir, cloudns, ipv4=["a.example.co.uk", "b.example.co.uk"], cache=False)
    assert res.code == 0, res
    assert [(p, r.form["domain-name"]) for p, r in zip(paths(cloudns.requests),
                                                       cloudns.requests)] == [
        ("records.json", "co.uk"), ("records.json", "example.co.uk"),
        ("mod-record.json", "example.co.uk"), ("add-record.json", "example.co.uk")]


def test_a_single_name_makes_the_same_request_as_before(client, tmpdir, cloudns):
    cloudns.add_record("example.com", "home", "A", OLD, ttl=60)
    res = run(client, tmpdir, cloudns, cache=False)
    assert res.code == 0 and res.json["records"][0]["action"] == "updated", res
    assert paths(cloudns.requests) == ["records.json", "mod-record.json"]
    assert cloudns.requests[0].form == {"auth-id": AUTH_ID, "auth-password": PASSWORD,
                                        "domain-name": "example.com", "host": "home",
                                        "type": "A"}
