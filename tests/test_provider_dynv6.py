"""dynv6 (https://dynv6.github.io/api-spec/): zones listed once, records read before written,
the zone apex through the zone's ipv4address/ipv6prefix, Bearer token refused once."""
import json

import pytest

from fake_dynv6 import Dynv6Emulator

TOKEN = "dynv6-s3cr3t-token"
NEW, NEW6 = "81.2.69.142", "2a02:ec0::142"


@pytest.fixture
def dynv6():
    with Dynv6Emulator() as emu:
        emu.tokens[TOKEN] = None
        emu.zid = emu.add_zone("myhome.dynv6.net")
        emu.other = emu.add_zone("other.v6.rocks")
        yield emu


def run(client, tmpdir, emu, **extra):
    data = {"dns": "dynv6", "token": TOKEN, "endpoint": emu.url,
            "ipv4": ["www.myhome.dynv6.net"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def calls(emu, start=0):
    return [(r.method, r.path) for r in emu.requests[start:]]


def test_create_records_and_set_the_apex_then_cached_then_update(client, tmpdir, dynv6):
    z = "/api/v2/zones/%d" % dynv6.zid
    res = run(client, tmpdir, dynv6, ipv4=["www.myhome.dynv6.net", "myhome.dynv6.net"],
              ipv6=["www.myhome.dynv6.net", "myhome.dynv6.net"], index6=NEW6)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["created"] * 4
    assert calls(dynv6) == [("GET", "/api/v2/zones"), ("GET", z + "/records"),
                            ("POST", z + "/records"), ("PATCH", z),
                            ("POST", z + "/records"), ("PATCH", z)]
    assert dynv6.requests[2].json == {"name": "www", "type": "A", "data": NEW}
    assert dynv6.requests[3].json == {"ipv4address": NEW}
    assert dynv6.requests[5].json == {"ipv6prefix": NEW6}
    assert dynv6.requests[0].headers["authorization"] == "Bearer " + TOKEN
    assert [r["data"] for r in dynv6.find(dynv6.zid, "www", "AAAA")] == [NEW6]
    assert run(client, tmpdir, dynv6).json["records"][0]["action"] == "cached"
    sent = len(dynv6.requests)
    res = run(client, tmpdir, dynv6, index4="81.2.69.150")
    assert res.json["records"][0]["action"] == "updated", res
    rid = dynv6.find(dynv6.zid, "www", "A")[0]["id"]
    assert calls(dynv6, sent) == [("GET", "/api/v2/zones"), ("GET", z + "/records"),
                                  ("PATCH", "%s/records/%d" % (z, rid))]
    assert dynv6.requests[-1].json == {"data": "81.2.69.150"}
    assert dynv6.same_value_writes == 0


def test_unchanged_record_and_apex_are_only_read(client, tmpdir, dynv6):
    dynv6.add_record(dynv6.zid, "www", "A", NEW)
    dynv6.zones[dynv6.zid]["ipv4address"] = NEW
    res = run(client, tmpdir, dynv6, ipv4=["www.myhome.dynv6.net", "myhome.dynv6.net"],
              cache=False)
    assert [r["action"] for r in res.json["records"]] == ["unchanged"] * 2, res
    assert [r.method for r in dynv6.requests] == ["GET", "GET"]


def test_apex_prefix_keeps_its_length(client, tmpdir, dynv6):
    dynv6.zones[dynv6.zid]["ipv6prefix"] = "2a02:ec0::1/64"
    res = run(client, tmpdir, dynv6, ipv4=[], ipv6=["myhome.dynv6.net"], index6=NEW6)
    assert res.json["records"][0]["action"] == "updated", res
    assert dynv6.zones[dynv6.zid]["ipv6prefix"] == NEW6 + "/64"
    tmpdir.join("s.json").remove()
    res = run(client, tmpdir, dynv6, ipv4=[], ipv6=["myhome.dynv6.net"], index6=NEW6)
    assert res.json["records"][0]["action"] == "unchanged", res


def test_wrong_token_is_refused_once_and_zone_limited_token_too(client, tmpdir, dynv6):
    res = run(client, tmpdir, dynv6, token="wrong-s3cr3t",
              ipv4=["a.myhome.dynv6.net", "b.myhome.dynv6.net"])
    assert res.code == 3, res
    assert "HTTP 401" in res.err and "Unauthorized" in res.err and '"token"' in res.err
    assert len(dynv6.requests) == 1
    dynv6.tokens["zone-s3cr3t"] = dynv6.other
    res = run(client, tmpdir, dynv6, token="zone-s3cr3t", ipv4=["www.other.v6.rocks"])
    assert res.code == 0, res
    res = run(client, tmpdir, dynv6, token="zone-s3cr3t", ipv4=["www.myhome.dynv6.net"])
    assert res.code == 1 and 'no zone of this account holds "www.myhome.dynv6.net"' in res.err


def test_rate_limit_and_validation_errors(client, tmpdir, dynv6):
    dynv6.fail_next(429, json.dumps({"error": {"name": "TooManyRequests",
                                               "message": "slow down"}}),
                    content_type="application/json")
    res = run(client, tmpdir, dynv6, ipv4=["a.myhome.dynv6.net", "b.myhome.dynv6.net"])
    assert res.code == 1 and "rate limit: HTTP 429 TooManyRequests: slow down" in res.err, res
    assert len(dynv6.requests) == 1
    dynv6.fail_next(422, json.dumps({"error": {"name": "ValidationError", "message": "failed",
                                               "fields": [{"name": "data",
                                                           "message": "invalid"}]}}),
                    content_type="application/json", method="POST")
    res = run(client, tmpdir, dynv6)
    assert res.code == 1 and "HTTP 422 POST ValidationError: failed; data: invalid" in res.err
