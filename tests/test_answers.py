"""Provider answers of the wrong shape, from a broken or hostile API: each is a one-line error
naming the provider and the field, the run goes on with the other records, prints its --json
report and saves the state of what worked. Never a traceback, never a write to a record of
another name or type, never "done" for a write whose answer shows another address."""
import json

import pytest

TOKEN = "answer-tok-s3cr3t-123"
NEW = "81.2.69.142"


def envelope(result, info=None):
    body = {"success": True, "errors": [], "messages": [], "result": result}
    if info is not None:
        body["result_info"] = info
    return json.dumps(body)


def run_cf(client, tmpdir, cf, names=("home.example.com",), *extra):
    state = tmpdir.join("state.json")
    res = client(["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cf.url, "--ipv4",
                  ",".join(names), "--index4", NEW, "--cache", str(state), "--json"] + list(extra))
    assert "Traceback" not in res.err, res
    report = res.json  # exactly one JSON object, whatever happened
    return res, report, (json.loads(state.read()) if state.exists() else None)


def writes(emu):
    return [r for r in emu.requests if r.method in ("POST", "PATCH", "PUT", "DELETE")]


@pytest.fixture
def cf(cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    yield cloudflare
    assert not cloudflare.faults, "an injected answer was never asked for"


BAD_LISTINGS = [
    ("zones", envelope("example.com"), '"result" is "example.com"'),
    ("zones", envelope([None]), '"result[]" is missing or null'),
    ("zones", envelope(["example.com"]), '"result[]" is "example.com"'),
    ("zones", envelope([{"name": "example.com", "id": "../../user/tokens"}]), '"result[].id"'),
    ("zones", envelope([{"name": "example.com", "id": "a" * 32}], {"total_pages": "x"}),
     '"result_info.total_pages" is "x"'),
    ("zones", envelope([{"name": "example.com", "id": "a" * 32}])
     .replace('"result": [', '"result_info": {"total_pages": 1e999}, "result": ['),
     "result_info.total_pages"),
    ("zones", "[" * 40000 + "]" * 40000, "not its API's JSON"),  # 80 KB: under the size cap
    ("dns_records", envelope([None]), '"result[]" is missing or null'),
    ("dns_records", envelope({"id": "x"}), '"result" is of type dict'),
    ("dns_records", envelope([{"id": "a\r\nb", "name": "home.example.com", "type": "A",
                               "content": "81.2.69.1", "ttl": 1}]), '"result.id"'),
    ("dns_records", envelope([{"id": "b" * 32, "name": "home.example.com", "type": "A",
                               "content": "81.2.69.1", "ttl": "abc"}]), '"result.ttl" is "abc"'),
]


@pytest.mark.parametrize("path,body,expected", BAD_LISTINGS,
                         ids=["case%d" % i for i in range(len(BAD_LISTINGS))])
def test_wrong_shaped_cloudflare_answers_are_one_line_errors(client, tmpdir, cf, path, body,
                                                            expected):
    cf.fail_next(status=200, body=body, content_type="application/json", path=path,
                 method="GET")
    res, report, _ = run_cf(client, tmpdir, cf)
    assert res.code == 1
    rec = report["records"][0]
    assert rec["action"] == "failed" and expected in rec["error"], rec
    assert rec["error"].startswith("cloudflare")
    assert [l for l in res.err.splitlines() if l.strip()] == ["error: home.example.com A: " +
                                                             rec["error"]]
    assert not writes(cf)


def test_a_listing_that_ignores_the_filter_never_touches_another_record(client, tmpdir, cf):
    """As Prism's static examples did: the listing for home.example.com returned example.com's
    A record and an A record for the AAAA query. Only an exact name and type is the record."""
    apex = cf.add_record("example.com", "example.com", "A", "81.2.69.1")
    other = cf.add_record("example.com", "other.example.com", "AAAA", "2001:db8::1")
    listing = envelope([dict(r, zone_id=None) for r in cf.records()])
    cf.fail_next(status=200, body=listing, content_type="application/json",
                 path="dns_records", method="GET")
    res, report, _ = run_cf(client, tmpdir, cf)
    assert res.code == 0 and report["records"][0]["action"] == "created", res
    assert [w.method for w in writes(cf)] == ["POST"]
    assert cf.recs[apex]["content"] == "81.2.69.1" and cf.recs[other]["content"] == "2001:db8::1"


def test_a_write_answer_with_another_address_is_failed_and_not_remembered(client, tmpdir, cf):
    rid = cf.add_record("example.com", "home.example.com", "A", "81.2.69.1")
    lying = envelope({"id": rid, "name": "home.example.com", "type": "A",
                      "content": "81.2.69.99", "ttl": 1, "proxied": False})
    cf.fail_next(status=200, body=lying, content_type="application/json", method="PATCH")
    res, report, state = run_cf(client, tmpdir, cf)
    assert res.code == 1
    assert "81.2.69.99" in report["records"][0]["error"] and "not counted" in \
        report["records"][0]["error"]
    entry = list(state["records"].values())[0]
    assert entry.get("ip") != NEW  # not "done": the next run reads the record again
    sent = len(cf.requests)
    again = run_cf(client, tmpdir, cf)[1]
    assert again["records"][0]["action"] == "updated" and len(cf.requests) > sent + 1


def test_a_write_answer_without_result_fails_that_record_only(client, tmpdir, cf):
    cf.batch_refused = (400, 1004, "DNS Validation Error")  # one write per record
    cf.fail_next(status=200, body=json.dumps({"success": True, "errors": []}),
                 content_type="application/json", method="POST", path="dns_records")
    cf.add_record("example.com", "b.example.com", "A", "81.2.69.1")
    res, report, state = run_cf(client, tmpdir, cf, ("a.example.com", "b.example.com"))
    actions = dict((r["domain"], r["action"]) for r in report["records"])
    assert actions == {"a.example.com": "failed", "b.example.com": "updated"}, report
    assert '"result" is missing' in report["records"][0]["error"]
    done = [e for e in state["records"].values() if e.get("ip") == NEW]
    assert [e["domain"] for e in done] == ["b.example.com"]  # what worked is saved


def test_a_batch_answer_without_result_fails_its_records_and_the_next_run_reads(client, tmpdir,
                                                                               cf):
    """Accepted but unclear: nothing is written again blindly (no single writes after it), and
    nothing is remembered as done, so the next run reads the zone before it writes."""
    cf.fail_next(status=200, body=json.dumps({"success": True, "errors": []}),
                 content_type="application/json", method="POST", path="/batch")
    cf.add_record("example.com", "b.example.com", "A", "81.2.69.1")
    res, report, state = run_cf(client, tmpdir, cf, ("a.example.com", "b.example.com"))
    assert res.code == 1 and [r["action"] for r in report["records"]] == ["failed", "failed"]
    assert "batch was accepted" in report["records"][0]["error"]
    assert [r.method for r in writes(cf)] == ["POST"]
    assert not [e for e in state["records"].values() if e.get("ip") == NEW]
    sent = len(cf.requests)
    res, report, state = run_cf(client, tmpdir, cf, ("a.example.com", "b.example.com"))
    assert [r["action"] for r in report["records"]] == ["created", "updated"], report
    assert [r.path.rsplit("/", 1)[-1].split("?")[0] for r in cf.requests[sent:]] == \
        ["zones", "dns_records", "batch"]  # one listing, one batch


def test_provider_messages_cannot_forge_log_lines(client, tmpdir, cf):
    body = json.dumps({"success": False, "errors": [
        {"code": 1000, "message": "bad\nerror: other.example.com A: forged\r\x1b[2J\ud800"}],
        "result": None})
    cf.fail_next(status=400, body=body, content_type="application/json", path="zones")
    log_file = tmpdir.join("ddns.log")
    res, report, state = run_cf(client, tmpdir, cf, ("home.example.com",), "--log-file",
                                str(log_file))
    lines = [l for l in res.err.splitlines() if l.strip()]
    assert len(lines) == 1 and "forged" in lines[0] and "\x1b" not in lines[0], lines
    logged = log_file.read_binary().decode("utf-8")  # valid UTF-8
    assert len(logged.strip().splitlines()) == 1
    raw = tmpdir.join("state.json").read_binary().decode("utf-8")
    assert "\x1b" not in json.loads(raw)["records"].popitem()[1]["error"]


@pytest.fixture
def dp(dnspod):
    dnspod.tokens.add("12345,dp-s3cr3t-token")
    dnspod.add_domain("example.com")
    yield dnspod
    assert not dnspod.faults, "an injected answer was never asked for"


def dp_answer(**extra):
    body = {"status": {"code": "1", "message": "Action completed successful"},
            "domain": {"id": "1", "name": "example.com"}}
    body.update(extra)
    return json.dumps(body)


@pytest.mark.parametrize("body,expected", [
    (dp_answer(records="x"), '"records" is "x"'),
    (dp_answer(records=[None]), '"records[]" is missing or null'),
    (dp_answer(records=[{"id": "7", "name": "home", "type": "A", "value": "81.2.69.1",
                         "ttl": "abc"}]), '"records[].ttl" is "abc"'),
    (dp_answer(records=[{"id": "7&domain_id=9", "name": "home", "type": "A",
                         "value": "81.2.69.1", "ttl": "600"}]), '"records[].id"'),
    (json.dumps({"status": "ok"}), '"status" is "ok"'),
    (dp_answer(domain=[1]), '"domain" is of type list'),
])
def test_wrong_shaped_dnspod_answers_are_one_line_errors(client, tmpdir, dp, body, expected):
    dp.fail_next(status=200, body=body, content_type="text/html;charset=UTF-8",
                 path="Record.List")
    res = client(["--dns", "dnspod", "--id", "12345", "--token", "dp-s3cr3t-token",
                  "--endpoint", dp.url, "--ipv4", "home.example.com", "--index4", NEW,
                  "--cache", str(tmpdir.join("state.json")), "--json"])
    assert "Traceback" not in res.err and res.code == 1, res
    rec = res.json["records"][0]
    assert rec["action"] == "failed" and expected in rec["error"], rec
    assert not [r for r in dp.requests if "Modify" in r.path or "Create" in r.path]


def test_endless_pagination_stops_at_the_page_cap(client, tmpdir, cf):
    from ddns_min.providers.cloudflare import MAX_PAGES
    page = envelope([{"name": "example.com", "id": "a" * 32}], {"total_pages": 10 ** 8})
    cf.fail_next(status=200, body=page, content_type="application/json", path="zones",
                 method="GET", count=MAX_PAGES + 10)
    res, report, _ = run_cf(client, tmpdir, cf)
    zone_reads = [r for r in cf.requests if r.path.split("?")[0].endswith("/zones")]
    assert len(zone_reads) == MAX_PAGES
    assert len(cf.faults) == 10  # the pages it did not ask for
    del cf.faults[:]
    assert report["records"][0]["action"] == "failed"  # the listed zone id is not the real one


@pytest.mark.micropython
def test_many_names_fit_a_routers_micropython_heap(tmpdir, cf):
    """500 records (the most one config may hold) in MicroPython's 1 MB heap, as on a 32-bit
    router: created in batches of cloudflare.BATCH, the state saved, one JSON report."""
    import os
    import subprocess
    from clirun import ROOT, clean_env
    from config_limits import MAX_RECORDS
    from interpreters import require_micropython
    names = ["host%d.example.com" % i for i in range(MAX_RECORDS // 2)]
    conf = tmpdir.join("config.json")
    conf.write(json.dumps({"dns": "cloudflare", "token": TOKEN, "endpoint": cf.url,
                           "ipv4": names, "ipv6": names, "index4": NEW,
                           "index6": "2001:4860:4860::8888",
                           "cache": str(tmpdir.join("state.json"))}))
    os.chmod(str(conf), 0o600)
    env = clean_env(tmpdir, {"MICROPYPATH": ROOT + ":.frozen"})
    proc = subprocess.Popen([require_micropython(), "-X", "heapsize=1M", "-m", "ddns_min",
                             "-c", str(conf), "--json"], env=env, cwd=str(tmpdir),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    assert b"Error" not in err and proc.returncode == 0, err[-500:]
    report = json.loads(out.decode("utf-8"))
    assert [r["action"] for r in report["records"]] == ["created"] * MAX_RECORDS
    assert len(json.loads(tmpdir.join("state.json").read())["records"]) == MAX_RECORDS
    assert len(cf.requests) == 2 + MAX_RECORDS // 50  # zones, listing, the batches


def test_more_names_than_one_config_may_hold_is_a_config_error(client, tmpdir, cf):
    """From a file: MicroPython's unix port itself dies on a command-line argument of 256 bytes
    or more (its argv become interned strings), before ddns_min runs."""
    from config_limits import MAX_RECORDS
    names = ["h%d.example.com" % i for i in range(MAX_RECORDS + 1)]
    conf = tmpdir.join("config.json")
    conf.write(json.dumps({"dns": "cloudflare", "token": TOKEN, "endpoint": cf.url,
                           "ipv4": names, "index4": NEW}))
    res = client(["-c", str(conf)])
    assert res.code == 2 and "at most %d" % MAX_RECORDS in res.err and not cf.requests, res


@pytest.mark.parametrize("cut", ['{"success": true, "errors": [], "result": [',
                                 '{"success": true, "errors": [], "result": [{"id": "ab',
                                 '{"success": true, "result": []} trailing'])
def test_a_cut_listing_is_not_an_empty_one(client, tmpdir, cf, cut):
    """MicroPython's json reads '{"result": [' as {"result": []}: taken at its word, a cut
    listing would look like "no record" and create a duplicate."""
    cf.add_record("example.com", "home.example.com", "A", "81.2.69.1")
    cf.fail_next(status=200, body=cut, content_type="application/json", path="dns_records",
                 method="GET")
    res, report, _ = run_cf(client, tmpdir, cf)
    assert res.code == 1 and "not its API's JSON" in report["records"][0]["error"], report
    assert not writes(cf)
