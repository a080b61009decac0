"""Porkbun API v3 (https://porkbun.com/api/json/v3/documentation) against tests/fake_porkbun.py:
read by name and type before writing, create A and AAAA when missing, edit the one record by id,
no same-value writes, refused keys stop all calls, 429/503 are rate limits."""
import json

import pytest

from fake_porkbun import PorkbunEmulator

API_KEY, SECRET = "pk1_example", "sk1_porkbun-s3cr3t"
NEW = "81.2.69.142"


@pytest.fixture
def pork():
    with PorkbunEmulator() as emu:
        emu.keys[API_KEY] = SECRET
        emu.domains.add("example.com")
        yield emu


def run(client, tmpdir, pork, *args, **extra):
    data = {"dns": "porkbun", "id": API_KEY, "token": SECRET, "endpoint": pork.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"] + list(args))


def calls(reqs):
    return [r.path[len("/api/json/v3/dns/"):] for r in reqs]


def test_create_a_and_aaaa_then_cached_then_update_reads_first(client, tmpdir, pork):
    res = run(client, tmpdir, pork, "--debug", ipv4=["home.example.com", "example.com"],
              ipv6=["home.example.com"], index6="2a02:ec0::1")
    assert res.code == 0, res
    assert sorted((r["name"], r["type"]) for r in pork.records()) == [
        ("example.com", "A"), ("home.example.com", "A"), ("home.example.com", "AAAA")]
    # three names of one domain: one listing replaces the three reads by name and type
    assert calls(pork.requests) == [
        "retrieve/example.com", "create/example.com", "create/example.com", "create/example.com"]
    first = pork.requests[1].json
    assert first == {"apikey": API_KEY, "secretapikey": SECRET, "name": "home", "type": "A",
                     "content": NEW}
    assert pork.requests[2].json["name"] == ""
    assert run(client, tmpdir, pork).json["records"][0]["action"] == "cached"
    sent = len(pork.requests)
    res = run(client, tmpdir, pork, index4="81.2.69.150")
    assert res.json["records"][0]["action"] == "updated", res
    rid = [r for r in pork.records("home.example.com") if r["type"] == "A"][0]["id"]
    assert calls(pork.requests[sent:]) == ["retrieveByNameType/example.com/A/home",
                                           "edit/example.com/" + rid]
    assert pork.requests[-1].json["ttl"] == "600"
    assert [r for r in pork.records("home.example.com") if r["type"] == "A"][0]["content"] == \
        "81.2.69.150"
    assert pork.same_value_writes == 0


def test_unchanged_record_is_not_written_and_ttl_change_is(client, tmpdir, pork):
    pork.add_record("home.example.com", "A", NEW, ttl=600)
    res = run(client, tmpdir, pork, cache=False)
    assert res.json["records"][0]["action"] == "unchanged", res
    assert len(pork.requests) == 1
    res = run(client, tmpdir, pork, cache=False, ttl=3600)
    assert res.json["records"][0]["action"] == "updated", res
    assert pork.requests[-1].json["ttl"] == "3600" and pork.same_value_writes == 0


def test_zone_is_found_and_opt_in_is_named(client, tmpdir, pork):
    pork.domains.add("example.co.uk")
    res = run(client, tmpdir, pork, ipv4=["a.b.example.co.uk"])
    assert res.code == 0, res
    assert calls(pork.requests) == ["retrieveByNameType/co.uk/A/a.b.example",
                                    "retrieveByNameType/example.co.uk/A/a.b",
                                    "create/example.co.uk"]
    pork.not_opted_in.add("example.org")
    res = run(client, tmpdir, pork, ipv4=["home.example.org"])
    assert res.code == 1 and "not opted in to API access" in res.err and "API ACCESS" in res.err


def test_wrong_keys_are_refused_once(client, tmpdir, pork):
    res = run(client, tmpdir, pork, "--debug", token="sk1_wrong-s3cr3t",
              ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "Invalid API key. (002)" in res.err and '"token"' in res.err
    assert len(pork.requests) == 1
    tmpdir.join("s.json").remove()
    pork.fail_next(403, json.dumps({"status": "ERROR", "message": "Forbidden"}),
                   content_type="application/json")
    res = run(client, tmpdir, pork)
    assert res.code == 3 and "HTTP 403" in res.err, res
    tmpdir.join("s.json").remove()
    pork.fail_next(403, "<html>Cloudflare: blocked</html>", content_type="text/html")
    res = run(client, tmpdir, pork)  # a firewall's page is not the API refusing the keys
    assert res.code == 1 and "not its API's JSON" in res.err, res


def test_rate_limit_and_errors_are_clear(client, tmpdir, pork):
    pork.fail_next(429, json.dumps({"status": "ERROR", "message": "Too many requests"}),
                   content_type="application/json")
    res = run(client, tmpdir, pork, ipv4=["a.example.com", "b.example.com"])
    assert res.code == 1 and "porkbun rate limit: HTTP 429" in res.err, res
    assert len(pork.requests) == 1
    tmpdir.join("s.json").remove()
    res = run(client, tmpdir, pork, ttl=60)
    assert res.code == 1 and "TTL must be at least 600" in res.err and '"ttl"' in res.err, res


def test_odd_answers_are_one_line_errors(client, tmpdir, pork):
    pork.fail_next(200, json.dumps({"status": "SUCCESS", "records": [
        {"id": "1/../2", "name": "home.example.com", "type": "A", "content": "1.2.3.4"}]}),
        content_type="application/json")
    res = run(client, tmpdir, pork)
    assert res.code == 1 and "not an id" in res.err and "Traceback" not in res.err, res


OLD = "81.2.69.1"


def test_many_names_one_listing_then_only_the_writes_needed(client, tmpdir, pork):
    names = ["h%d.example.com" % i for i in range(6)] + ["example.com"]
    for i in range(4):  # h0, h2 hold the old address, h1, h3 the new one; h4, h5, apex missing
        pork.add_record("h%d.example.com" % i, "A", NEW if i % 2 else OLD)
    pork.add_record("h4.example.com", "TXT", "not an address")
    pork.add_record("h5.example.com", "AAAA", "2a02:ec0::1")
    res = run(client, tmpdir, pork, ipv4=names, ipv6=["h5.example.com"],
              index6="2a02:ec0::1", cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == [
        "updated", "unchanged", "updated", "unchanged", "created", "created", "created",
        "unchanged"]
    done = calls(pork.requests)
    assert done[0] == "retrieve/example.com" and done.count("retrieve/example.com") == 1
    assert not [c for c in done if c.startswith("retrieveByNameType")]
    assert sorted(c.split("/")[0] for c in done[1:]) == ["create"] * 3 + ["edit"] * 2
    assert pork.same_value_writes == 0
    assert sorted(r["name"] for r in pork.records() if r["type"] == "A" and
                  r["content"] == NEW) == sorted(names)


def test_listing_finds_the_domain_behind_a_two_label_suffix(client, tmpdir, pork):
    pork.domains.add("example.co.uk")
    pork.add_record("a.example.co.uk", "A", OLD)
    res = run(client, tmpdir, pork, ipv4=["a.example.co.uk", "b.example.co.uk"], cache=False)
    assert res.code == 0, res
    # co.uk is not a domain of the account: its listing fails, example.co.uk's serves both
    aid = pork.records("a.example.co.uk")[0]["id"]
    assert calls(pork.requests) == ["retrieve/co.uk", "retrieve/example.co.uk",
                                    "edit/example.co.uk/" + aid, "create/example.co.uk"]


def test_a_single_name_makes_the_same_requests_as_before(client, tmpdir, pork):
    rid = pork.add_record("home.example.com", "A", OLD)
    res = run(client, tmpdir, pork, cache=False)
    assert res.code == 0 and res.json["records"][0]["action"] == "updated", res
    assert calls(pork.requests) == ["retrieveByNameType/example.com/A/home",
                                    "edit/example.com/%d" % rid]
