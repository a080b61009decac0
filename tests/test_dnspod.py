# -*- coding: utf-8 -*-
"""The client against the DNSPod emulator, over real sockets, run as `python -m ddns_min`."""
import json
import re


ID, TOKEN = "123456", "dp-token-Qm7Xs3cr3t"
OLD, NEW = "81.2.69.140", "81.2.69.142"


def ddns(client, tmpdir, dp, *args, **extra):
    data = {"dns": "dnspod", "id": ID, "token": TOKEN, "endpoint": dp.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("state.json"))}
    data.update(extra)
    path = tmpdir.join("config.json")
    path.write(json.dumps(data))
    return client(["-c", str(path), "--json"] + list(args))


def actions(dp):
    return [r.path.strip("/") for r in dp.requests]


def test_update_reads_then_modifies_keeping_line_and_ttl(client, tmpdir, dnspod):
    dnspod.tokens.add(ID + "," + TOKEN)
    dnspod.add_domain("example.com")
    rid = dnspod.add_record("example.com", "home", "A", OLD, ttl=120, line=u"电信", line_id="10=0")
    res = ddns(client, tmpdir, dnspod)
    assert res.code == 0, res
    rec = res.json["records"][0]
    assert (rec["action"], rec["ip"], rec["old_ip"]) == ("updated", NEW, OLD)
    assert actions(dnspod) == ["Record.List", "Record.Modify"]
    for req in dnspod.requests:
        assert req.method == "POST"
        assert req.form["login_token"] == ID + "," + TOKEN and req.form["format"] == "json"
        assert re.match(r"^ddns_min/[0-9.]+ \([^ ()]+@[^ ()]+\)$", req.headers["user-agent"])
    modify = dnspod.requests[1].form
    assert modify["record_id"] == rid and modify["value"] == NEW
    assert modify["sub_domain"] == "home" and modify["record_type"] == "A"
    assert modify["record_line_id"] == "10=0" and modify["ttl"] == "120"
    [stored] = dnspod.records(sub_domain="home")
    assert stored["value"] == NEW and str(stored["ttl"]) == "120"
    assert dnspod.same_value_writes == 0


def test_never_modifies_a_record_that_holds_the_address(client, tmpdir, dnspod):
    dnspod.tokens.add(ID + "," + TOKEN)
    dnspod.add_domain("example.com")
    dnspod.add_record("example.com", "home", "A", NEW)
    res = ddns(client, tmpdir, dnspod, "--cache", "false")
    assert res.json["records"][0]["action"] == "unchanged"
    res = ddns(client, tmpdir, dnspod, "--cache", "false")
    assert res.json["records"][0]["action"] == "unchanged"
    assert actions(dnspod) == ["Record.List", "Record.List"]
    assert dnspod.same_value_writes == 0


def test_cached_run_sends_nothing_and_change_reads_first(client, tmpdir, dnspod):
    dnspod.tokens.add(ID + "," + TOKEN)
    dnspod.add_domain("example.com")
    dnspod.add_record("example.com", "home", "A", NEW)
    assert ddns(client, tmpdir, dnspod).code == 0
    sent = len(dnspod.requests)
    assert ddns(client, tmpdir, dnspod).json["records"][0]["action"] == "cached"
    assert len(dnspod.requests) == sent
    res = ddns(client, tmpdir, dnspod, index4="81.2.69.150")
    assert res.json["records"][0]["action"] == "updated"
    assert actions(dnspod)[sent:] == ["Record.List", "Record.Modify"]


def test_creates_apex_and_aaaa_on_default_line(client, tmpdir, dnspod):
    dnspod.tokens.add(ID + "," + TOKEN)
    dnspod.add_domain("example.com")
    res = ddns(client, tmpdir, dnspod, ipv4=["example.com"], ipv6=["v6.example.com"], index6="2a02:ec0::1")
    assert res.code == 0, res
    creates = [r.form for r in dnspod.requests if r.path.strip("/") == "Record.Create"]
    got = sorted((c["sub_domain"], c["record_type"], c["value"]) for c in creates)
    assert got == [("@", "A", NEW), ("v6", "AAAA", "2a02:ec0::1")]
    for c in creates:
        assert c.get("record_line_id") == "0" or c.get("record_line") in (u"默认", "default")
    assert dnspod.records(sub_domain="@", type="A")[0]["value"] == NEW


def test_zone_of_multi_part_suffix(client, tmpdir, dnspod):
    dnspod.tokens.add(ID + "," + TOKEN)
    dnspod.add_domain("example.com.cn")
    res = ddns(client, tmpdir, dnspod, ipv4=["a.b.example.com.cn"])
    assert res.code == 0, res
    [rec] = dnspod.records(type="A")
    assert rec["sub_domain"] == "a.b" and rec["value"] == NEW


def test_login_failure_stops_all_dnspod_calls(client, tmpdir, dnspod):
    dnspod.tokens.add(ID + ",the-right-token")
    dnspod.add_domain("example.com")
    res = ddns(client, tmpdir, dnspod, ipv4=["a.example.com", "b.example.com"], ipv6=["a.example.com"],
               index6="2a02:ec0::1")
    assert res.code == 3, res
    assert len(dnspod.requests) == 1
    assert all(r["action"] == "failed" for r in res.json["records"])
    assert "-1" in res.err and '"token"' in res.err
    for blob in (res.out, res.err):
        assert TOKEN not in blob


def test_unknown_domain_is_a_clear_failure(client, tmpdir, dnspod):
    dnspod.tokens.add(ID + "," + TOKEN)
    dnspod.add_domain("example.com")
    res = ddns(client, tmpdir, dnspod, ipv4=["home.example.net"])
    assert res.code == 1, res
    assert "home.example.net" in res.err
    assert not [r for r in dnspod.requests if r.path.strip("/") != "Record.List"]


def test_refused_login_is_remembered_until_the_token_changes(client, tmpdir, dnspod):
    dnspod.tokens.add(ID + ",the-right-token")
    dnspod.add_domain("example.com")
    first = ddns(client, tmpdir, dnspod)
    assert first.code == 3 and len(dnspod.requests) == 1
    for _ in range(3):  # cron, every 5 minutes
        again = ddns(client, tmpdir, dnspod)
        assert again.code == 3, again
        assert "not asking again until" in again.err
    assert len(dnspod.requests) == 1
    assert dnspod.failed_logins == 1
    dnspod.tokens.add(ID + ",fixed-s3cr3t")
    fixed = ddns(client, tmpdir, dnspod, token="fixed-s3cr3t")
    assert fixed.code == 0, fixed
    assert fixed.json["records"][0]["action"] == "created"


# Each login/permission failure DNSPod documents (see AUTH_CODES): the first answer ends every
# DNSPod call of the run (DNSPod disables logins after repeated failures), exit 3.
AUTH_ANSWERS = [("-1", "Login fail, please check login info"),
                ("-7", "Company account must upgrade to use the API"),
                ("-8", "Login fail too many times, your account was banned"),
                ("50", "You have enabled D-token, a verification code is needed"),
                ("52", "D-token verification code is wrong"),
                ("83", "This account has been locked"),
                ("85", "Login region protection: this IP is not allowed"),
                ("10001", "The login token is wrong"),
                ("10002", "The login token ID is invalid"),
                ("20004", "user token validate failed")]


def test_auth_codes_cover_the_documented_answers():
    from ddns_min.providers.dnspod import AUTH_CODES
    assert sorted(AUTH_CODES) == sorted(code for code, _ in AUTH_ANSWERS)


import pytest  # noqa: E402


@pytest.mark.parametrize("code,message", AUTH_ANSWERS)
def test_every_login_failure_code_ends_all_calls_at_once(client, tmpdir, dnspod, code, message):
    dnspod.answer_code = (code, message)
    res = ddns(client, tmpdir, dnspod, ipv4=["home.example.com", "www.example.com", "example.com"],
               ipv6=["home.example.com"], index6="2a02:ec0::1")
    assert res.code == 3, res
    assert len(dnspod.requests) == 1  # one refused login, then nothing
    assert ("[%s]" % code) in res.err and TOKEN not in res.err + res.out
