"""deSEC (https://desec.readthedocs.io/en/latest/): responsible domain via owns_qname, RRsets read
before written, minimum TTL, Token auth refused once, 429 + Retry-After honoured."""
import json

import pytest

from fake_desec import DeSECEmulator

TOKEN = "desec-s3cr3t-token"
NEW, NEW6 = "81.2.69.142", "2a02:ec0::142"
RRSETS = "/api/v1/domains/example.com/rrsets/"


@pytest.fixture
def desec():
    with DeSECEmulator() as emu:
        emu.tokens.add(TOKEN)
        emu.add_domain("example.com")
        emu.add_domain("other.org")
        yield emu


def run(client, tmpdir, desec, **extra):
    data = {"dns": "desec", "token": TOKEN, "endpoint": desec.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def calls(emu, start=0):
    return [(r.method, r.target) for r in emu.requests[start:]]


def test_create_a_and_aaaa_then_cached_then_update_reads_first(client, tmpdir, desec):
    res = run(client, tmpdir, desec, ipv4=["home.example.com", "example.com"],
              ipv6=["home.example.com"], index6=NEW6)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["created"] * 3
    assert desec.rrset("example.com", "home", "A")["records"] == [NEW]
    assert desec.rrset("example.com", "", "A")["records"] == [NEW]
    assert desec.rrset("example.com", "home", "AAAA")["records"] == [NEW6]
    # three names of one domain: the account's domains and one listing replace 2 owns_qname
    # lookups and 3 RRset reads
    assert calls(desec) == [("GET", "/api/v1/domains/"), ("GET", RRSETS + "?cursor="),
                            ("POST", RRSETS), ("POST", RRSETS), ("POST", RRSETS)]
    assert desec.requests[3].json == {"subname": "", "type": "A", "ttl": 3600, "records": [NEW]}
    assert desec.requests[0].headers["authorization"] == "Token " + TOKEN
    assert run(client, tmpdir, desec).json["records"][0]["action"] == "cached"
    sent = len(desec.requests)
    res = run(client, tmpdir, desec, index4="81.2.69.150")
    assert res.json["records"][0]["action"] == "updated", res
    assert calls(desec, sent) == [("GET", "/api/v1/domains/?owns_qname=home.example.com"),
                                  ("GET", RRSETS + "home/A/"), ("PATCH", RRSETS + "home/A/")]
    assert desec.requests[-1].json == {"records": ["81.2.69.150"]}
    assert desec.same_value_writes == 0


def test_unchanged_rrset_is_only_read(client, tmpdir, desec):
    desec.add_rrset("example.com", "home", "A", [NEW])
    res = run(client, tmpdir, desec, cache=False)
    assert res.json["records"][0]["action"] == "unchanged", res
    assert [r.method for r in desec.requests] == ["GET", "GET"]


def test_extra_records_are_replaced_by_the_one_address(client, tmpdir, desec):
    desec.add_rrset("example.com", "home", "A", [NEW, "81.2.69.1"])
    res = run(client, tmpdir, desec)
    assert res.json["records"][0]["action"] == "updated", res
    assert desec.rrset("example.com", "home", "A")["records"] == [NEW]


def test_ttl_below_the_minimum_is_raised_with_a_warning(client, tmpdir, desec):
    res = run(client, tmpdir, desec, ttl=300)
    assert res.code == 0, res
    assert "below the domain's minimum 3600" in res.err
    assert desec.rrset("example.com", "home", "A")["ttl"] == 3600
    tmpdir.join("s.json").remove()
    res = run(client, tmpdir, desec, ttl=300)
    assert res.json["records"][0]["action"] == "unchanged", res  # no write every run
    res = run(client, tmpdir, desec, ttl=7200, cache=False)
    assert res.json["records"][0]["action"] == "updated", res
    assert desec.requests[-1].json == {"records": [NEW], "ttl": 7200}
    assert desec.same_value_writes == 0


def test_wrong_token_is_refused_once(client, tmpdir, desec):
    res = run(client, tmpdir, desec, token="wrong-s3cr3t",
              ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "HTTP 401" in res.err and "Invalid token." in res.err and '"token"' in res.err
    assert len(desec.requests) == 1


def test_rate_limit_short_wait_is_honoured_long_one_ends_the_run(client, tmpdir, desec):
    desec.fail_next(429, json.dumps({"detail": "Request was throttled. Expected available in "
                                               "1 second."}),
                    headers={"Retry-After": "1"}, content_type="application/json",
                    method="POST")
    res = run(client, tmpdir, desec)
    assert res.code == 0 and res.json["records"][0]["action"] == "created", res
    assert [r.method for r in desec.requests] == ["GET", "GET", "POST", "POST"]
    desec.throttle_writes = 600
    res = run(client, tmpdir, desec, ipv4=["x.example.com", "y.example.com"], cache=False)
    assert res.code == 1, res
    assert "rate limit: HTTP 429" in res.err and "throttled" in res.err and "600" in res.err
    # x and y read (in one listing), then x's write is refused for 600 s: y's is not sent
    assert [r.method for r in desec.requests[4:]] == ["GET", "GET", "POST"]


def test_unknown_domain_and_refused_values(client, tmpdir, desec):
    res = run(client, tmpdir, desec, ipv4=["home.example.net"])
    assert res.code == 1 and 'no domain of this account holds "home.example.net"' in res.err
    desec.add_domain("example.com", minimum_ttl=86400)
    res = run(client, tmpdir, desec, ttl=604800)
    assert res.code == 0, res
    assert desec.rrset("example.com", "home", "A")["ttl"] == 604800


OLD = "81.2.69.1"


def test_many_names_one_listing_then_only_the_writes_needed(client, tmpdir, desec):
    names = ["h%d.example.com" % i for i in range(6)] + ["example.com", "solo.other.org"]
    for i in range(4):  # h0, h2 hold the old address, h1, h3 the new one; h4, h5, apex missing
        desec.add_rrset("example.com", "h%d" % i, "A", [NEW if i % 2 else OLD])
    desec.add_rrset("example.com", "h4", "TXT", ['"not an address"'])
    res = run(client, tmpdir, desec, ipv4=names, cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == [
        "updated", "unchanged", "updated", "unchanged", "created", "created", "created",
        "created"]
    assert calls(desec)[:2] == [("GET", "/api/v1/domains/"),
                                ("GET", RRSETS + "?cursor=&type=A")]
    # solo.other.org is the only name of its domain: read on its own, no listing
    assert calls(desec)[2] == ("GET", "/api/v1/domains/other.org/rrsets/solo/A/")
    assert [m for m, _ in calls(desec)[3:]] == ["PATCH", "PATCH"] + ["POST"] * 4
    assert desec.writes == 6 and desec.same_value_writes == 0
    for i in range(6):
        assert desec.rrset("example.com", "h%d" % i, "A")["records"] == [NEW]
    assert desec.rrset("example.com", "", "A")["records"] == [NEW]


def test_listing_of_both_types_is_not_filtered(client, tmpdir, desec):
    desec.add_rrset("example.com", "a", "A", [NEW])
    desec.add_rrset("example.com", "a", "AAAA", ["2a02:ec0::1"])
    res = run(client, tmpdir, desec, ipv4=["a.example.com"], ipv6=["a.example.com"],
              index6=NEW6, cache=False)
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["unchanged", "updated"]
    assert calls(desec) == [("GET", "/api/v1/domains/"), ("GET", RRSETS + "?cursor="),
                            ("PATCH", RRSETS + "a/AAAA/")]


def test_domain_with_more_than_one_page_is_read_name_by_name(client, tmpdir, desec):
    desec.page_size = 3  # stands for deSEC's 500
    for i in range(4):
        desec.add_rrset("example.com", "x%d" % i, "A", [OLD])
    res = run(client, tmpdir, desec, ipv4=["a.example.com", "x1.example.com"], cache=False)
    assert res.code == 0, res
    # page 1 announces a next page: no further page, each name is read on its own
    assert calls(desec) == [("GET", "/api/v1/domains/"), ("GET", RRSETS + "?cursor=&type=A"),
                            ("GET", RRSETS + "a/A/"), ("GET", RRSETS + "x1/A/"),
                            ("POST", RRSETS), ("PATCH", RRSETS + "x1/A/")]


def test_emulator_pages_with_cursors_above_the_page_size(desec):
    from ddns_min import transport
    desec.page_size = 2
    for i in range(5):
        desec.add_rrset("example.com", "x%d" % i, "A", [OLD])
    hdrs = {"Authorization": "Token " + TOKEN}
    status, headers, text = transport.request("GET", desec.url + "/domains/example.com/rrsets/",
                                              hdrs, None)
    assert status == 400 and "Pagination required" in text and "(5 total)" in text
    url, subs = desec.url + "/domains/example.com/rrsets/?cursor=", []
    while url:
        status, headers, text = transport.request("GET", url, hdrs, None)
        assert status == 200
        subs += [r["subname"] for r in json.loads(text)]
        nxt = [p for p in headers["link"].split(", ") if p.endswith('rel="next"')]
        url = nxt[0].split(">")[0][1:] if nxt else None
    assert subs == ["x0", "x1", "x2", "x3", "x4"]


def test_a_single_name_makes_the_same_requests_as_before(client, tmpdir, desec):
    desec.add_rrset("example.com", "home", "A", [OLD])
    res = run(client, tmpdir, desec, cache=False)
    assert res.code == 0 and res.json["records"][0]["action"] == "updated", res
    assert calls(desec) == [("GET", "/api/v1/domains/?owns_qname=home.example.com"),
                            ("GET", RRSETS + "home/A/"), ("PATCH", RRSETS + "home/A/")]
