"""dnspod_com, dyndns2 (and the noip preset), pwdns, callback and debug: the same rules as the
core providers (compare before write where the API allows, stop at auth failure, exit codes, no
secret in output), run under CPython and MicroPython against emulators."""
import json

import pytest

from fake_push import DynDNS2Emulator, PWDNSEmulator, WebhookEmulator

NEW = "81.2.69.142"


@pytest.fixture
def emu():
    started = []

    def start(cls, *args):
        e = cls(*args).start()
        started.append(e)
        return e
    yield start
    for e in started:
        e.stop()


def run(client, tmpdir, **conf):
    data = {"ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("state.json"))}
    data.update(conf)
    path = tmpdir.join("config.json")
    path.write(json.dumps(data))
    return client(["-c", str(path), "--json"])


def test_dnspod_com_speaks_dnspod_on_its_own_host(client, tmpdir, dnspod):
    dnspod.tokens.add("7,intl-s3cr3t")
    dnspod.add_domain("example.com")
    res = run(client, tmpdir, dns="dnspod_com", id="7", token="intl-s3cr3t", endpoint=dnspod.url)
    assert res.code == 0, res
    assert res.json["records"][0]["provider"] == "dnspod_com"
    assert [r.path for r in dnspod.requests] == ["/Record.List", "/Record.Create"]


def test_dyndns2_sends_only_changes_and_stops_at_badauth(client, tmpdir, emu):
    dyn = emu(DynDNS2Emulator)
    dyn.users["me"] = "dyn-s3cr3t"
    dyn.hosts["home.example.com"] = "81.2.69.140"
    conf = dict(dns="dyndns2", id="me", token="dyn-s3cr3t", endpoint=dyn.url.rstrip("/"))
    res = run(client, tmpdir, **conf)
    assert res.code == 0, res
    assert res.json["records"][0]["action"] == "updated" and dyn.hosts["home.example.com"] == NEW
    req = dyn.requests[0]
    assert req.query == {"hostname": "home.example.com", "myip": NEW}
    assert req.headers["user-agent"].startswith("ddns_min/")
    assert run(client, tmpdir, **conf).json["records"][0]["action"] == "cached"
    assert len(dyn.requests) == 1  # an unchanged address is not sent again
    tmpdir.join("state.json").remove()
    assert run(client, tmpdir, **conf).json["records"][0]["action"] == "unchanged"  # nochg
    tmpdir.join("state.json").remove()
    bad = run(client, tmpdir, ipv4=["a.example.com", "b.example.com"],
              **dict(conf, token="wrong-s3cr3t"))
    assert bad.code == 3 and "badauth" in bad.err
    assert len(dyn.requests) == 3  # the second name was not tried
    dyn.abuse = True
    blocked = run(client, tmpdir, **conf)
    assert blocked.code == 3 and "abuse" in blocked.err


def test_dyndns2_needs_an_endpoint_and_noip_has_one(client, tmpdir):
    res = run(client, tmpdir, dns="dyndns2", id="me", token="x-s3cr3t")
    assert res.code == 2 and '"endpoint"' in res.err
    res = client(["--dry-run", "--json", "--dns", "noip", "--id", "me", "--token", "x-s3cr3t",
                  "--ipv4", "a.example.com", "--index4", NEW])
    assert res.code == 0 and res.json["records"][0]["action"] == "planned"


def test_pwdns(client, tmpdir, emu):
    pw = emu(PWDNSEmulator)
    pw.tokens["pw-s3cr3t"] = {"home.example.pwdns.org": "81.2.69.140"}
    conf = dict(dns="pwdns", token="pw-s3cr3t", endpoint=pw.url.rstrip("/"),
                ipv4=["home.example.pwdns.org"])
    res = run(client, tmpdir, **conf)
    assert res.code == 0, res
    assert pw.tokens["pw-s3cr3t"]["home.example.pwdns.org"] == NEW
    tmpdir.join("state.json").remove()
    assert run(client, tmpdir, **conf).json["records"][0]["action"] == "unchanged"
    tmpdir.join("state.json").remove()
    assert run(client, tmpdir, **dict(conf, token="bad-s3cr3t")).code == 3
    missing = run(client, tmpdir, **dict(conf, ipv4=["other.example.pwdns.org"]))
    assert missing.code == 1 and "no such domain" in missing.err
    apex = run(client, tmpdir, **dict(conf, ipv4=["example.org"]))
    assert apex.code == 2 and "subdomains" in apex.err
    assert len(pw.requests) == 4


def test_callback_get_and_post_with_placeholders(client, tmpdir, emu):
    hook = emu(WebhookEmulator)
    url = hook.url + "/hook/s3cr3t-path?name=__DOMAIN__&ip=__IP__&type=__RECORDTYPE__"
    res = run(client, tmpdir, dns="callback", id=url, ipv6=["v6.example.com"],
              index6="2a02:ec0::1")
    assert res.code == 0, res
    got = sorted((r.method, r.query["name"], r.query["ip"], r.query["type"]) for r in hook.requests)
    assert got == [("GET", "home.example.com", NEW, "A"), ("GET", "v6.example.com", "2a02:ec0::1",
                                                          "AAAA")]
    tmpdir.join("state.json").remove()
    body = json.dumps({"host": "__DOMAIN__", "addr": "__IP__", "ttl": "__TTL__", "n": 1})
    res = run(client, tmpdir, dns="callback", id=hook.url + "/post", token=body, ttl=300)
    assert res.code == 0, res
    post = hook.requests[-1]
    assert post.method == "POST" and post.json == {"host": "home.example.com", "addr": NEW,
                                                   "ttl": "300", "n": 1}
    res = run(client, tmpdir, dns="callback", id=hook.url, token="not json")
    assert res.code == 2 and '"token"' in res.err


def test_callback_refused_is_exit_3(client, tmpdir, emu):
    hook = emu(WebhookEmulator, 403)
    res = run(client, tmpdir, dns="callback", id=hook.url + "/x", ipv4=["a.example.com",
                                                                       "b.example.com"])
    assert res.code == 3, res
    assert len(hook.requests) == 1


def test_debug_needs_no_account(client, tmpdir):
    res = run(client, tmpdir, dns="debug")
    assert res.code == 0, res
    assert res.json["records"][0]["action"] == "planned"
    assert "home.example.com A would be set to " + NEW in res.err


def test_ddns_v41_file_with_two_providers(client, tmpdir, cloudflare, dnspod):
    cloudflare.tokens["cf-s3cr3t"] = None
    cloudflare.add_zone("example.com")
    dnspod.tokens.add("9,dp-s3cr3t")
    dnspod.add_domain("example.cn")
    data = {"index4": NEW, "cache": str(tmpdir.join("state.json")),
            "providers": [{"provider": "cloudflare", "token": "cf-s3cr3t",
                           "endpoint": cloudflare.url, "ipv4": ["home.example.com"]},
                          {"provider": "dnspod", "id": "9", "token": "dp-s3cr3t",
                           "endpoint": dnspod.url, "ipv4": ["home.example.cn"]}]}
    tmpdir.join("config.json").write(json.dumps(data))
    res = client(["-c", str(tmpdir.join("config.json")), "--json"])
    assert res.code == 0, res
    assert [(r["provider"], r["domain"], r["action"]) for r in res.json["records"]] == [
        ("cloudflare", "home.example.com", "created"), ("dnspod", "home.example.cn", "created")]
    again = client(["-c", str(tmpdir.join("config.json")), "--json"])
    assert [r["action"] for r in again.json["records"]] == ["cached", "cached"]
