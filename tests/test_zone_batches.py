"""Issue 20: a run's requests grow with zones, not names. Cloudflare: one listing per zone for
the records to read, one batch request per zone (50 changes at most) for the writes; a refused
batch falls back to one write per record, each reported on its own."""
import json

import pytest

TOKEN = "cf-batch-s3cr3t"
OLD, NEW = "81.2.69.140", "81.2.69.142"


@pytest.fixture
def cf(cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    cloudflare.add_zone("example.org")
    return cloudflare


def run(client, tmpdir, cf, names, ip=NEW, **extra):
    data = {"dns": "cloudflare", "token": TOKEN, "endpoint": cf.url, "ipv4": names,
            "index4": ip, "cache": str(tmpdir.join("state.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def kinds(requests):
    """GET zones / GET list / batch / PATCH / POST, in order."""
    out = []
    for r in requests:
        path = r.path.split("?", 1)[0]
        if path.endswith("/batch"):
            out.append("batch")
        elif r.method == "GET":
            out.append("zones" if path.endswith("/zones") else "list")
        else:
            out.append(r.method)
    return out


@pytest.mark.parametrize("n", [1, 10, 50])
def test_cost_per_zone_whatever_the_number_of_names(client, tmpdir, cf, n):
    names = ["h%d.example.com" % i for i in range(n)]
    for name in names[::2]:  # half exist with an old address, half are missing
        cf.add_record("example.com", name, "A", OLD)
    res = run(client, tmpdir, cf, names)
    assert res.code == 0, res
    assert kinds(cf.requests) == (["zones", "list", "PATCH"] if n == 1 else
                                  ["zones", "list", "batch"])
    assert sorted(r["content"] for r in cf.records(type="A")) == [NEW] * n
    sent = len(cf.requests)
    assert run(client, tmpdir, cf, names).code == 0  # unchanged: the state answers
    assert len(cf.requests) == sent
    res = run(client, tmpdir, cf, names, ip="81.2.69.150")  # a change, ids known
    assert [r["action"] for r in res.json["records"]] == ["updated"] * n, res
    assert kinds(cf.requests[sent:]) == (["PATCH"] if n == 1 else ["batch"])
    assert sorted(r["content"] for r in cf.records(type="A")) == ["81.2.69.150"] * n


def test_a_cold_run_with_nothing_to_change_reads_one_listing_and_writes_nothing(client, tmpdir,
                                                                                 cf):
    names = ["h%d.example.com" % i for i in range(12)]
    for name in names:
        cf.add_record("example.com", name, "A", NEW)
        cf.add_record("example.com", name, "AAAA", "2a02:ec0::1")
    cf.add_record("example.com", "other.example.com", "A", OLD)  # not ours: left alone
    res = run(client, tmpdir, cf, names, ipv6=names, index6="2a02:ec0::1")
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["unchanged"] * 24
    assert kinds(cf.requests) == ["zones", "list"]
    assert "type" not in cf.requests[1].query  # A and AAAA in one listing
    assert cf.records(name="other.example.com")[0]["content"] == OLD


def test_one_listing_and_one_batch_per_zone(client, tmpdir, cf):
    names = ["a.example.com", "b.example.com", "a.example.org", "b.example.org"]
    res = run(client, tmpdir, cf, names)
    assert res.code == 0, res
    assert kinds(cf.requests) == ["zones", "list", "list", "batch", "batch"]
    assert cf.requests[1].query["type"] == "A"  # only A records wanted: only they are listed


def test_a_zone_bigger_than_its_names_is_read_name_by_name(client, tmpdir, cf):
    for i in range(250):  # three pages of listing for two names: two reads are cheaper
        cf.add_record("example.com", "x%d.example.com" % i, "A", OLD)
    res = run(client, tmpdir, cf, ["a.example.com", "b.example.com"])
    assert res.code == 0, res
    assert kinds(cf.requests) == ["zones", "list", "list", "list", "batch"][:2] + \
        ["list", "list", "batch"]  # page 1 of 3 (given up), then a, b
    assert cf.requests[2].query["name"] == "a.example.com"


def test_batches_hold_at_most_50_changes(tmpdir, cf):
    from clirun import run as run_cpython
    names = ["h%d.example.com" % i for i in range(120)]
    tmpdir.join("config.json").write(json.dumps({
        "dns": "cloudflare", "token": TOKEN, "endpoint": cf.url, "ipv4": names,
        "index4": NEW, "cache": str(tmpdir.join("state.json"))}))
    res = run_cpython(["-c", str(tmpdir.join("config.json")), "--json"], tmpdir)
    assert res.code == 0, res
    batches = [r for r in cf.requests if r.path.endswith("/batch")]
    assert [len(r.json["posts"]) for r in batches] == [50, 50, 20]


def test_a_refused_batch_is_written_record_by_record_and_reported_per_record(client, tmpdir,
                                                                              cf):
    """b already has a CNAME, so its A cannot be created (81053): Cloudflare refuses the whole
    batch; then a and c are written alone and succeed, b fails with Cloudflare's own error."""
    cf.add_record("example.com", "b.example.com", "CNAME", "elsewhere.example.net")
    res = run(client, tmpdir, cf, ["a.example.com", "b.example.com", "c.example.com"])
    assert res.code == 1, res
    actions = dict((r["domain"], r["action"]) for r in res.json["records"])
    assert actions == {"a.example.com": "created", "b.example.com": "failed",
                       "c.example.com": "created"}
    assert "81053" in res.json["records"][1]["error"]
    assert kinds(cf.requests) == ["zones", "list", "batch", "POST", "POST", "POST"]
    assert sorted(r["name"] for r in cf.records(type="A")) == ["a.example.com", "c.example.com"]


def test_a_remembered_record_deleted_by_hand_is_found_again(client, tmpdir, cf):
    names = ["a.example.com", "b.example.com"]
    for name in names:
        cf.add_record("example.com", name, "A", OLD)
    assert run(client, tmpdir, cf, names).code == 0
    cf.delete_record(cf.records(name="b.example.com")[0]["id"])
    sent = len(cf.requests)
    res = run(client, tmpdir, cf, names, ip="81.2.69.150")
    assert res.code == 0, res
    assert [r["action"] for r in res.json["records"]] == ["updated", "created"]
    # the batch is refused (81044: no such record), a is patched alone, b is looked up, created
    assert kinds(cf.requests[sent:]) == ["batch", "PATCH", "PATCH", "zones", "list", "POST"]


def test_a_rate_limited_batch_fails_its_records_and_sends_nothing_more(client, tmpdir, cf):
    cf.batch_refused = (429, 971, "Please wait and consider throttling your request speed")
    res = run(client, tmpdir, cf, ["a.example.com", "b.example.com"])
    assert res.code == 1, res
    assert [r["action"] for r in res.json["records"]] == ["failed", "failed"]
    assert "rate limit" in res.json["records"][0]["error"]
    assert kinds(cf.requests) == ["zones", "list", "batch"]


def test_a_dry_run_reads_the_listing_and_writes_nothing(client, tmpdir, cf):
    cf.add_record("example.com", "a.example.com", "A", OLD)
    cf.add_record("example.com", "b.example.com", "A", NEW)
    tmpdir.join("config.json").write(json.dumps({
        "dns": "cloudflare", "token": TOKEN, "endpoint": cf.url,
        "ipv4": ["a.example.com", "b.example.com", "c.example.com"], "index4": NEW}))
    res = client(["-c", str(tmpdir.join("config.json")), "--json", "--dry-run"])
    assert res.code == 0, res
    assert [(r["action"], r["old_ip"]) for r in res.json["records"]] == [
        ("planned", OLD), ("unchanged", NEW), ("planned", None)]
    assert kinds(cf.requests) == ["zones", "list"]


DP_ID, DP_TOKEN = "77", "dp-batch-s3cr3t"


@pytest.fixture
def dp(dnspod):
    dnspod.tokens.add("%s,%s" % (DP_ID, DP_TOKEN))
    dnspod.add_domain("example.com")
    dnspod.add_domain("example.com.cn")
    return dnspod


def run_dp(client, tmpdir, dp, names, ip=NEW, **extra):
    data = {"dns": "dnspod", "id": DP_ID, "token": DP_TOKEN, "endpoint": dp.url, "ipv4": names,
            "index4": ip, "cache": str(tmpdir.join("state.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def test_dnspod_lists_each_domain_once_then_writes_only_what_differs(client, tmpdir, dp):
    names = ["h%d.example.com" % i for i in range(10)] + ["example.com"]
    for i in range(6):  # h0, h2, h4 hold the old address, h1, h3, h5 the new one
        dp.add_record("example.com", "h%d" % i, "A", NEW if i % 2 else OLD)
    res = run_dp(client, tmpdir, dp, names)
    assert res.code == 0, res
    paths = [r.path for r in dp.requests]
    assert paths[0] == "/Record.List" and "sub_domain" not in dp.requests[0].form
    assert paths.count("/Record.List") == 1
    assert paths.count("/Record.Modify") == 3 and paths.count("/Record.Create") == 5
    assert dp.same_value_writes == 0
    assert sorted(r["value"] for r in dp.records()) == [NEW] * 11


def test_dnspod_listing_finds_the_domain_behind_a_two_label_suffix(client, tmpdir, dp):
    dp.add_record("example.com.cn", "a", "A", OLD)
    res = run_dp(client, tmpdir, dp, ["a.example.com.cn", "b.example.com.cn"])
    assert res.code == 0, res
    # com.cn is not a domain of the account: its listing fails, example.com.cn's serves both
    assert [(r.path, r.form.get("domain")) for r in dp.requests[:2]] == [
        ("/Record.List", "com.cn"), ("/Record.List", "example.com.cn")]
    assert [r.path for r in dp.requests[2:]] == ["/Record.Modify", "/Record.Create"]


def test_dnspod_big_domain_is_read_name_by_name(client, tmpdir, dp):
    for i in range(250):
        dp.add_record("example.com", "x%d" % i, "A", OLD)
    res = run_dp(client, tmpdir, dp, ["a.example.com", "b.example.com"])
    assert res.code == 0, res
    lists = [r.form for r in dp.requests if r.path == "/Record.List"]
    assert len(lists) == 3 and [f.get("sub_domain") for f in lists] == [None, "a", "b"]


def test_tencentcloud_lists_a_domain_once_for_its_names(client, tmpdir):
    from fake_tencentcloud import TencentCloudEmulator
    with TencentCloudEmulator() as tc:
        tc.keys["AKIDbatch"] = "tc-batch-s3cr3t"
        tc.domains.add("example.com")
        tc.add_record("example.com", "a", "A", OLD)
        tc.add_record("example.com", "b", "A", NEW)
        tc.add_record("example.com", "b", "AAAA", "2a02:ec0::1")
        tmpdir.join("config.json").write(json.dumps({
            "dns": "tencentcloud", "id": "AKIDbatch", "token": "tc-batch-s3cr3t",
            "endpoint": tc.url, "ipv4": ["a.example.com", "b.example.com", "c.example.com"],
            "ipv6": ["b.example.com"], "index4": NEW, "index6": "2a02:ec0::1"}))
        res = client(["-c", str(tmpdir.join("config.json")), "--json"])
        assert res.code == 0, res
        assert [r["action"] for r in res.json["records"]] == [
            "updated", "unchanged", "created", "unchanged"]
        actions = [r.headers["x-tc-action"] for r in tc.requests]
        assert actions == ["DescribeRecordList", "ModifyRecord", "CreateRecord"]
        assert "RecordType" not in tc.requests[0].json and tc.same_value_writes == 0
