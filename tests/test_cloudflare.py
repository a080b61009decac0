"""The client against the Cloudflare emulator, over real sockets, run as `python -m ddns_min`."""
import json


TOKEN = "cf-token-Zx81PqS3cr3t"
OLD, NEW = "81.2.69.140", "81.2.69.142"


def conf_file(tmpdir, cf, **extra):
    data = {"dns": "cloudflare", "token": TOKEN, "endpoint": cf.url, "ipv4": ["home.example.com"],
            "index4": NEW, "cache": str(tmpdir.join("state.json"))}
    data.update(extra)
    path = tmpdir.join("config.json")
    path.write(json.dumps(data))
    return str(path)


class Write(object):
    """One record write, sent alone or as one change inside a batch request."""
    def __init__(self, req, method, path, body):
        self.method, self.path, self.json, self.headers = method, path, body, req.headers


def writes(cf):
    out = []
    for r in cf.requests:
        path = r.path.split("?", 1)[0]
        if path.endswith("/dns_records/batch"):
            base = path[:-len("batch")]
            for change in r.json.get("patches", []):
                body = dict(change)
                out.append(Write(r, "PATCH", base + body.pop("id"), body))
            out.extend(Write(r, "POST", base[:-1], change) for change in r.json.get("posts", []))
        elif r.method in ("POST", "PATCH", "PUT", "DELETE"):
            out.append(Write(r, r.method, r.path, r.json))
    return out


def write_requests(cf):
    return [r for r in cf.requests if r.method != "GET"]


def ddns(client, tmpdir, cf, *args, **extra):
    return client(["-c", conf_file(tmpdir, cf, **extra), "--json"] + list(args))


def secrets_absent(tmpdir, result, *secrets):
    state = tmpdir.join("state.json")
    blobs = [result.out, result.err, state.read() if state.exists() else ""]
    for secret in secrets:
        for blob in blobs:
            assert secret not in blob


def test_update_changes_only_the_address(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    rid = cloudflare.add_record("example.com", "home.example.com", "A", OLD, ttl=300,
                                comment="hand-made", tags=["home:1"])
    cloudflare.add_record("example.com", "web.example.com", "A", OLD, proxied=True)
    res = ddns(client, tmpdir, cloudflare, ipv4=["home.example.com", "web.example.com"])
    assert res.code == 0, res
    rec = res.json["records"][0]
    assert (rec["action"], rec["ip"], rec["old_ip"]) == ("updated", NEW, OLD)
    patches = writes(cloudflare)
    assert [p.method for p in patches] == ["PATCH", "PATCH"]
    assert len(write_requests(cloudflare)) == 1  # one batch for the zone
    assert patches[0].path.endswith("/dns_records/" + rid)
    assert [p.json for p in patches] == [{"content": NEW}, {"content": NEW}]
    assert patches[0].headers["content-type"].startswith("application/json")
    assert patches[0].headers["authorization"] == "Bearer " + TOKEN
    [stored] = cloudflare.records(name="home.example.com")
    assert (stored["content"], stored["ttl"], stored["proxied"]) == (NEW, 300, False)
    assert stored["comment"] == "hand-made" and stored["tags"] == ["home:1"]
    [proxied] = cloudflare.records(name="web.example.com")
    assert (proxied["content"], proxied["proxied"]) == (NEW, True)
    secrets_absent(tmpdir, res, TOKEN)


def test_unchanged_then_cached_then_one_request_when_changed(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    cloudflare.add_record("example.com", "home.example.com", "A", NEW)
    first = ddns(client, tmpdir, cloudflare)
    assert first.code == 0 and first.json["records"][0]["action"] == "unchanged"
    assert writes(cloudflare) == []
    sent = len(cloudflare.requests)
    assert sent <= 2
    second = ddns(client, tmpdir, cloudflare)
    assert second.code == 0 and second.json["records"][0]["action"] == "cached"
    assert len(cloudflare.requests) == sent  # not one request
    third = ddns(client, tmpdir, cloudflare, index4="81.2.69.150")
    assert third.json["records"][0]["action"] == "updated"
    assert len(cloudflare.requests) == sent + 1  # exactly the write
    assert cloudflare.records(name="home.example.com")[0]["content"] == "81.2.69.150"


def test_creates_missing_a_and_aaaa(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    res = ddns(client, tmpdir, cloudflare, ipv6=["home.example.com"], index6="2a02:ec0::1")
    assert res.code == 0, res
    assert sorted(r["action"] for r in res.json["records"]) == ["created", "created"]
    posts = [r for r in writes(cloudflare) if r.method == "POST"]
    assert len(posts) == 2 and len(write_requests(cloudflare)) == 1
    bodies = sorted((p.json["type"], p.json["content"], p.json["ttl"], p.json["proxied"])
                    for p in posts)
    assert bodies == [("A", NEW, 1, False), ("AAAA", "2a02:ec0::1", 1, False)]
    assert cloudflare.records(name="home.example.com", type="AAAA")[0]["content"] == "2a02:ec0::1"


def test_configured_ttl_and_proxied_are_applied(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    cloudflare.add_record("example.com", "home.example.com", "A", NEW, ttl=1, proxied=False)
    res = ddns(client, tmpdir, cloudflare, proxied=True)
    assert res.json["records"][0]["action"] == "updated"
    assert writes(cloudflare)[0].json == {"content": NEW, "proxied": True}
    assert cloudflare.records(name="home.example.com")[0]["proxied"] is True


def test_zone_found_for_apex_deep_names_multi_part_suffix_and_subzone(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    for zone in ("example.com", "sub.example.com", "example.co.uk"):
        cloudflare.add_zone(zone)
    names = ["example.com", "a.b.c.example.com", "x.sub.example.com", "a.b.example.co.uk"]
    res = ddns(client, tmpdir, cloudflare, ipv4=names)
    assert res.code == 0, res
    zone_of = dict((r["name"], r["zone_name"]) for r in cloudflare.records())
    assert zone_of == {"example.com": "example.com", "a.b.c.example.com": "example.com",
                       "x.sub.example.com": "sub.example.com",
                       "a.b.example.co.uk": "example.co.uk"}


def test_bad_token_exit_3_one_request_no_secret(client, tmpdir, cloudflare):
    cloudflare.tokens["some-other-token"] = None
    cloudflare.add_zone("example.com")
    res = ddns(client, tmpdir, cloudflare, ipv4=["a.example.com", "b.example.com"],
               ipv6=["a.example.com"], index6="2a02:ec0::1")
    assert res.code == 3, res
    assert len(cloudflare.requests) == 1
    assert all(r["action"] == "failed" for r in res.json["records"])
    assert "9109" in res.err or "10000" in res.err
    assert '"token"' in res.err
    secrets_absent(tmpdir, res, TOKEN)


def test_global_api_key_with_email(client, tmpdir, cloudflare):
    cloudflare.keys["me@example.com"] = "0123456789abcdefS3CR3T0123456789abcd"
    cloudflare.add_zone("example.com")
    res = ddns(client, tmpdir, cloudflare, id="me@example.com", token="0123456789abcdefS3CR3T0123456789abcd")
    assert res.code == 0, res
    first = cloudflare.requests[0]
    assert first.headers["x-auth-email"] == "me@example.com"
    assert "authorization" not in first.headers
    secrets_absent(tmpdir, res, "0123456789abcdefS3CR3T0123456789abcd")


def test_partial_failure_is_exit_1_and_others_still_updated(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    res = ddns(client, tmpdir, cloudflare, ipv4=["home.example.com", "home.example.org"])
    assert res.code == 1, res
    actions = dict((r["domain"], r["action"]) for r in res.json["records"])
    assert actions == {"home.example.com": "created", "home.example.org": "failed"}
    assert "example.org" in res.err and "no zone" in res.err


def test_dry_run_reads_but_never_writes(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    cloudflare.add_record("example.com", "home.example.com", "A", OLD)
    res = ddns(client, tmpdir, cloudflare, "--dry-run")
    assert res.code == 0, res
    rec = res.json["records"][0]
    assert (rec["action"], rec["old_ip"]) == ("planned", OLD)
    assert writes(cloudflare) == []
    assert cloudflare.records(name="home.example.com")[0]["content"] == OLD
    assert not tmpdir.join("state.json").exists()


def test_remembered_record_deleted_at_provider_is_recreated(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    rid = cloudflare.add_record("example.com", "home.example.com", "A", OLD)
    assert ddns(client, tmpdir, cloudflare, index4=OLD).code == 0
    cloudflare.delete_record(rid)
    res = ddns(client, tmpdir, cloudflare)
    assert res.code == 0, res
    assert res.json["records"][0]["action"] == "created"
    assert [r["content"] for r in cloudflare.records(name="home.example.com")] == [NEW]


def test_hand_edit_repaired_after_state_expires(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    rid = cloudflare.add_record("example.com", "home.example.com", "A", NEW)
    assert ddns(client, tmpdir, cloudflare).code == 0
    cloudflare.set_record(rid, content="81.2.69.1")  # someone edits it by hand
    assert ddns(client, tmpdir, cloudflare).json["records"][0]["action"] == "cached"
    state = tmpdir.join("state.json")
    data = json.loads(state.read())
    for entry in data["records"].values():
        entry["verified"] -= 86400 + 1  # a day later
    state.write(json.dumps(data))
    res = ddns(client, tmpdir, cloudflare)
    assert res.json["records"][0]["action"] == "updated"
    assert cloudflare.records(name="home.example.com")[0]["content"] == NEW


def test_cloudflare_script_ddns_json_runs_unchanged(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = ["example.com"]
    zid = cloudflare.add_zone("example.com")
    cloudflare.add_zone("other.org")
    path = tmpdir.join("ddns.json")
    path.write(json.dumps({"name": "abc", "Zone": zid, "Authorization": "Bearer " + TOKEN,
                           "recordID": "", "isSetedID": False, "sleeptime": 60}))
    res = client(["-c", str(path), "--json", "--index4", NEW, "--endpoint", cloudflare.url,
                  "--interval", "0", "--cache", str(tmpdir.join("state.json"))])
    assert res.code == 0, res
    assert [(r["name"], r["content"], r["zone_name"]) for r in cloudflare.records()] == \
        [("abc.example.com", NEW, "example.com")]
    assert [r.path.split("/v4")[-1] for r in cloudflare.requests] == \
        ["/zones/" + zid, "/zones/%s/dns_records" % zid, "/zones/%s/dns_records" % zid]


def test_zone_id_key_places_apex_and_skips_zone_listing(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = ["example.com"]
    zid = cloudflare.add_zone("example.com")
    res = ddns(client, tmpdir, cloudflare, zone_id=zid, ipv4=["@", "www", "x.example.com"])
    assert res.code == 0, res
    assert sorted(r["name"] for r in cloudflare.records()) == \
        ["example.com", "www.example.com", "x.example.com"]
    assert not [r for r in cloudflare.requests if r.path.endswith("/zones")]
