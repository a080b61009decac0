"""Providers misbehave: 5xx, 429, hangs, resets, HTML or cut answers. The client retries reads a
bounded number of times, never writes twice, never writes a wrong value, and always ends."""
import json
import socket
import time

from clirun import run

TOKEN = "fault-token-s3cr3t"
NEW = "81.2.69.142"


def seed(cf):
    cf.tokens[TOKEN] = None
    cf.add_zone("example.com")
    return cf.add_record("example.com", "home.example.com", "A", "81.2.69.140")


def ddns(tmpdir, cf, *names):
    args = ["--json", "--dns", "cloudflare", "--token", TOKEN, "--endpoint", cf.url,
            "--index4", NEW, "--cache", "false", "--ipv4"] + list(names or ["home.example.com"])
    return run(args, tmpdir)


def content(cf):
    return cf.records(name="home.example.com")[0]["content"]


def test_5xx_on_a_read_is_retried(tmpdir, cloudflare):
    seed(cloudflare)
    cloudflare.fail_next(502, "<html>Bad gateway</html>", content_type="text/html", count=2)
    res = ddns(tmpdir, cloudflare)
    assert res.code == 0, res
    assert len(cloudflare.requests) == 5  # zones x3 (two 502s), records, patch
    assert content(cloudflare) == NEW


def test_persistent_5xx_gives_up_and_stops_calling(tmpdir, cloudflare):
    seed(cloudflare)
    cloudflare.fail_next(503, "unavailable", count=50)
    res = ddns(tmpdir, cloudflare, "home.example.com", "other.example.com")
    assert res.code == 1, res
    assert len(cloudflare.requests) == 3  # one read, two retries; the second name sends nothing
    assert [r["action"] for r in res.json["records"]] == ["failed", "failed"]
    assert content(cloudflare) == "81.2.69.140"


def test_connection_reset_is_retried(tmpdir, cloudflare):
    seed(cloudflare)
    cloudflare.fail_next(reset=True)
    res = ddns(tmpdir, cloudflare)
    assert res.code == 0, res
    assert content(cloudflare) == NEW


def test_5xx_on_a_write_is_not_repeated(tmpdir, cloudflare):
    seed(cloudflare)
    cloudflare.fail_next(502, "<html>Bad gateway</html>", content_type="text/html", method="PATCH")
    res = ddns(tmpdir, cloudflare)
    assert res.code == 1, res
    assert [r.method for r in cloudflare.requests] == ["GET", "GET", "PATCH"]
    assert content(cloudflare) == "81.2.69.140"


def test_429_with_short_retry_after_is_waited_out(tmpdir, cloudflare):
    seed(cloudflare)
    cloudflare.rate_limit_next(retry_after=1)
    start = time.time()
    res = ddns(tmpdir, cloudflare)
    assert res.code == 0, res
    assert time.time() - start >= 1
    assert content(cloudflare) == NEW


def test_429_with_long_retry_after_stops_the_run(tmpdir, cloudflare):
    seed(cloudflare)
    cloudflare.rate_limit_next(retry_after=3600)
    start = time.time()
    res = ddns(tmpdir, cloudflare, "home.example.com", "other.example.com")
    assert res.code == 1, res
    assert time.time() - start < 30
    assert len(cloudflare.requests) == 1
    assert "971" in res.err and "rate limit" in res.err


def test_html_or_cut_json_is_never_taken_for_an_answer(tmpdir, cloudflare):
    seed(cloudflare)
    for body in ("<html><body>Cloudflare is down</body></html>", '{"success": true, "resu'):
        cloudflare.fail_next(200, body, content_type="application/json")
        res = ddns(tmpdir, cloudflare)
        assert res.code == 1, res
        assert "not its API's JSON" in res.err
    assert [r.method for r in cloudflare.requests] == ["GET", "GET"]
    assert content(cloudflare) == "81.2.69.140"


def test_hang_is_cut_by_the_timeout_and_retried(tmpdir, cloudflare):
    seed(cloudflare)
    cloudflare.fail_next(200, "{}", delay=12)
    start = time.time()
    res = ddns(tmpdir, cloudflare)
    elapsed = time.time() - start
    assert res.code == 0, res
    assert 9 < elapsed < 30
    assert content(cloudflare) == NEW


def test_dnspod_write_cut_off_is_not_repeated(tmpdir, dnspod):
    dnspod.tokens.add("1,dp-s3cr3t")
    dnspod.add_domain("example.com")
    dnspod.add_record("example.com", "home", "A", "81.2.69.140")
    path = tmpdir.join("config.json")
    path.write(json.dumps({"dns": "dnspod", "id": "1", "token": "dp-s3cr3t", "endpoint": dnspod.url,
                           "ipv4": ["home.example.com"], "index4": NEW}))
    dnspod.fail_next(reset=True, path="/Record.Modify")
    res = run(["-c", str(path)], tmpdir)
    assert res.code == 1, res
    assert [r.path for r in dnspod.requests] == ["/Record.List", "/Record.Modify"]
    res = run(["-c", str(path)], tmpdir)  # the next run reads again before it writes
    assert res.code == 0, res
    assert [r.path for r in dnspod.requests[2:]] == ["/Record.List", "/Record.Modify"]
    assert dnspod.same_value_writes == 0
    assert dnspod.records()[0]["value"] == NEW


def test_request_budget_per_run(tmpdir, cloudflare):
    """One write per record (the batch refused): the run stops at its budget of requests."""
    from ddns_min.providers.base import MAX_REQUESTS
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    cloudflare.batch_refused = (400, 1004, "DNS Validation Error")
    names = ["h%d.example.com" % i for i in range(MAX_REQUESTS + 5)]
    res = ddns(tmpdir, cloudflare, *names)
    assert res.code == 1, res
    assert len(cloudflare.requests) == MAX_REQUESTS
    assert "budget" in res.err
    actions = [r["action"] for r in res.json["records"]]
    # the zones, one listing, 3 refused batches (50, 50, 5), then one write per record
    assert actions.count("created") == MAX_REQUESTS - 5
    assert set(actions) == set(["created", "failed"])


def test_valid_json_with_a_wrong_content_type_is_still_the_api_answer(tmpdir, cloudflare):
    seed(cloudflare)
    body = json.dumps({"success": True, "errors": [], "messages": [],
                       "result": [{"id": list(cloudflare.zones)[0], "name": "example.com"}],
                       "result_info": {"page": 1, "total_pages": 1}})
    cloudflare.fail_next(200, body, content_type="text/html; charset=UTF-8")
    res = ddns(tmpdir, cloudflare)
    assert res.code == 0, res
    assert content(cloudflare) == NEW


def test_proxies_are_tried_in_order(tmpdir, cloudflare):
    from fake_http import ProxyEmulator
    seed(cloudflare)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead = "127.0.0.1:%d" % closed.getsockname()[1]
    closed.close()
    with ProxyEmulator() as proxy:
        via = "127.0.0.1:%d" % proxy.server.server_address[1]
        args = ["--json", "--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
                "--index4", NEW, "--cache", "false", "--ipv4", "home.example.com"]
        res = run(args + ["--proxy", dead + ";" + via], tmpdir)  # the dead one, then this one
        assert res.code == 0, res
        assert [r.target.split("/v4")[-1].split("?")[0] for r in proxy.requests] == \
            ["/zones", "/zones/%s/dns_records" % list(cloudflare.zones)[0],
             "/zones/%s/dns_records/%s" % (list(cloudflare.zones)[0], list(cloudflare.recs)[0])]
        assert content(cloudflare) == NEW
        sent = len(proxy.requests)
        res = run(args + ["--proxy", "DIRECT"], tmpdir)
        assert res.code == 0 and len(proxy.requests) == sent
