# -*- coding: utf-8 -*-
"""The real `ddns` package (NewFuture/DDNS) as an oracle: the same config file, run by ddns and by
ddns_min against two identically seeded emulators, must leave the same records.

ddns 4.0.2, 4.1.5 and 4.2.0 are installed from PyPI into throwaway venvs cached under
~/.cache/ddns_min-tests/ (skipped with a reason when that fails, e.g. offline; a failure in CI).
ddns 4.1+ takes an "endpoint" and speaks plain http to it, so it can be pointed at the emulators
on 127.0.0.1. ddns 4.0.2 cannot: its hosts are fixed and it always uses TLS (HTTPSConnection to
api.cloudflare.com / dnsapi.cn), so for 4.0.2 only the file it writes is compared. ddns has no
literal-address IP rule, so both clients get their address from `shell:echo ADDR`.
"""
import io
import json
import os
import subprocess
import sys

import pytest

from clirun import clean_env, run
from fake_cloudflare import CloudflareEmulator
from fake_dnspod import DNSPodEmulator
from interpreters import find_program

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "..", "..", "shared", "reference", "peer-configs")
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "ddns_min-tests")
V4, V6, OLD4 = "81.2.69.142", "2a02:ec0::1", "81.2.69.140"
CF_TOKEN, DP_ID, DP_TOKEN = "peer-cf-token-s3cr3t", "123456", "peer-dp-token-s3cr3t"
NEWER = ["4.1.5", "4.2.0"]


def _unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def ddns_command(version):
    """The `ddns` command of that version, installed once into a cached venv."""
    exe = os.path.join(CACHE, "venv-" + version, "bin", "ddns")
    if os.path.exists(exe):
        return exe
    python3 = sys.executable if sys.version_info[0] > 2 else find_program("python3")
    if not python3:
        _unavailable("no python3 to make a venv for ddns %s" % version)
    venv = os.path.dirname(os.path.dirname(exe))
    try:
        subprocess.check_call([python3, "-m", "venv", venv])
        subprocess.check_call([os.path.join(venv, "bin", "pip"), "install", "-q",
                               "ddns==" + version])
    except (OSError, subprocess.CalledProcessError) as exc:
        _unavailable("cannot install ddns==%s from PyPI (offline?): %s" % (version, exc))
    return exe


def run_ddns(version, tmpdir, args, env=None):
    home = tmpdir.mkdir("ddns-home-%d" % len(tmpdir.listdir()))
    proc = subprocess.Popen([ddns_command(version)] + list(args), cwd=str(home),
                            env=clean_env(home, env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out, err = proc.communicate()
    return proc.returncode, (out + err).decode("utf-8", "replace")


def run_ours(tmpdir, args, env=None):
    home = tmpdir.mkdir("ours-home-%d" % len(tmpdir.listdir()))
    return run(list(args) + ["--cache", "false"], home, env=env)


def peer_text(name):
    path = os.path.join(PEER, name)
    if not os.path.exists(path):
        pytest.skip("needs ../shared/reference/peer-configs beside the clone")
    with io.open(path, encoding="utf-8") as f:
        return f.read()


def strip_jsonc(text):
    from ddns_min.formats import strip_comments
    return json.loads(strip_comments(text))


def run_succeeds(runner, version, tmpdir, args):
    """One client ("ddns" of `version`, or "ours") on `args`; it must exit 0."""
    if runner == "ddns":
        code, out = run_ddns(version, tmpdir, args)
        assert code == 0, out
    else:
        res = run_ours(tmpdir, args)
        assert res.code == 0, res


def write(tmpdir, name, data):
    path = tmpdir.join(name)
    path.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"), "wb")
    os.chmod(str(path), 0o600)
    return str(path)


# ---- emulators, seeded the same way for both clients --------------------------------------

def cloudflare_pair():
    emus = [CloudflareEmulator(), CloudflareEmulator()]
    for emu in emus:
        emu.__enter__()
        emu.tokens[CF_TOKEN] = None
        emu.add_zone("example.com")
        emu.add_record("example.com", "b.example.com", "A", OLD4, ttl=300, proxied=True)
    return emus


def dnspod_pair():
    emus = [DNSPodEmulator(), DNSPodEmulator()]
    for emu in emus:
        emu.__enter__()
        emu.tokens.add(DP_ID + "," + DP_TOKEN)
        emu.add_domain("example.com")
        emu.add_record("example.com", "b", "A", OLD4, ttl=300)
    return emus


def close(emus):
    for emu in emus:
        emu.__exit__(None, None, None)


def cf_records(emu):
    return sorted((r["name"], r["type"], r["content"], r["ttl"], r["proxied"])
                  for r in emu.records())


def dp_records(emu):
    return sorted((r["name"], r["type"], r["value"], r["ttl"], r["line"]) for r in emu.records())


def dp_addresses(emu):
    """DNSPod records less the ttl: ddns sends no ttl in Record.Modify, so DNSPod resets an
    updated record to its default 600 whatever "ttl" says; ddns_min keeps the record's ttl or
    sets the configured one (README, "Coming from the ddns package")."""
    return [r[:3] + r[4:] for r in dp_records(emu)]


def ttl_of(emu, sub):
    return [r["ttl"] for r in emu.records(sub_domain=sub)]


def cf_base(emu):
    return emu.url[:-len("/client/v4")]  # ddns's endpoint is the host; it adds /client/v4


def both(version, tmpdir, conf, name="config.json"):
    """-> (ddns's exit and output, ours) for the same file."""
    path = write(tmpdir, name, conf)
    theirs = run_ddns(version, tmpdir, ["-c", path])
    ours = run_ours(tmpdir, ["-c", path])
    return theirs, ours


# ---- the files ddns writes -------------------------------------------------------------------

def test_the_file_ddns_4_0_2_writes_is_the_reference_and_reads_the_same(tmpdir):
    path = str(tmpdir.join("new.json"))
    code, out = run_ddns("4.0.2", tmpdir, ["-c", path])  # 4.0.2's way of writing a template
    assert os.path.exists(path), out
    with io.open(path, encoding="utf-8") as f:
        written = json.load(f)
    assert written == json.loads(peer_text("newconfig-4.0.2.json"))
    from ddns_min import config
    conf = config.load({"config": path})
    assert conf["dns"] == "dnspod" and conf["names"][4] == written["ipv4"]
    assert conf["names"][6] == written["ipv6"] and conf["rules"] == {4: ["default"],
                                                                    6: ["default"]}
    assert conf["ttl"] is None and conf["proxy"] == [] and conf["log_level"] == "INFO"


@pytest.mark.parametrize("version", NEWER)
def test_the_file_ddns_new_config_writes_runs_the_same(version, tmpdir):
    path = str(tmpdir.join("new.json"))
    code, out = run_ddns(version, tmpdir, ["--new-config", path])
    with io.open(path, encoding="utf-8") as f:
        written = f.read()
    assert json.loads(written) == json.loads(peer_text("newconfig-%s.json" % version))
    # as written it uses the debug provider: both print and write nothing, exit 0
    code, out = run_ddns(version, tmpdir, ["-c", path, "--index4", "shell:echo " + V4,
                                           "--no-cache"])
    assert code == 0, out
    ours = run_ours(tmpdir, ["-c", path, "--index4", "shell:echo " + V4])
    assert ours.code == 0 and V4 in ours.err, ours
    # filled in for Cloudflare, the way a user edits it
    emus = cloudflare_pair()
    try:
        for emu, runner in zip(emus, ("ddns", "ours")):
            conf = json.loads(written)
            conf.update({"dns": "cloudflare", "id": "", "token": CF_TOKEN,
                         "endpoint": cf_base(emu), "ipv4": ["a.example.com", "b.example.com"],
                         "index4": ["shell:echo " + V4], "ipv6": ["a.example.com"],
                         "index6": ["shell:echo " + V6], "cache": False})
            path = write(tmpdir, runner + ".json", conf)
            run_succeeds(runner, version, tmpdir, ["-c", path])
        assert cf_records(emus[0]) == cf_records(emus[1])
        assert ("a.example.com", "AAAA", V6, 600, False) in cf_records(emus[1])
        assert ("b.example.com", "A", V4, 1, True) in cf_records(emus[1])  # proxied: ttl auto
    finally:
        close(emus)


@pytest.mark.parametrize("version", NEWER)
def test_dnspod_docs_example_runs_the_same(version, tmpdir):
    doc = strip_jsonc(peer_text("docs-dnspod.jsonc"))
    emus = dnspod_pair()
    try:
        for emu, runner in zip(emus, ("ddns", "ours")):
            conf = dict(doc, id=DP_ID, token=DP_TOKEN, endpoint=emu.url,
                        ipv4=["a.example.com", "b.example.com", "example.com"],
                        index4=["shell:echo " + V4], ipv6=["a.example.com"],
                        index6="shell:echo " + V6, line=None, cache=False)
            path = write(tmpdir, runner + ".json", conf)
            run_succeeds(runner, version, tmpdir, ["-c", path])
        assert dp_records(emus[0]) == dp_records(emus[1])
        assert ("@", "A", V4, "600", u"默认") in dp_records(emus[1])
        assert emus[1].same_value_writes == 0
    finally:
        close(emus)


@pytest.mark.parametrize("version", NEWER)
def test_cloudflare_docs_example_with_comments_runs_the_same(version, tmpdir):
    text = peer_text("docs-cloudflare.jsonc")
    emus = cloudflare_pair()
    try:
        for emu, runner in zip(emus, ("ddns", "ours")):
            # only credentials, endpoint and the IP rules change; the comments stay
            conf = text.replace("your_cloudflare_api_token", CF_TOKEN).replace(
                '"ddns.newfuture.cc"', '"a.example.com"').replace(
                '"ipv6.ddns.newfuture.cc"', '"b.example.com"').replace(
                '["url:http://api.ipify.org", "public"]', '"shell:echo %s"' % V4).replace(
                '"index6": "public"', '"index6": "shell:echo %s"' % V6).replace(
                '"dns": "cloudflare",', '"dns": "cloudflare", "endpoint": "%s", "cache": false,'
                % cf_base(emu))
            path = tmpdir.join(runner + ".jsonc")
            path.write(conf.encode("utf-8"), "wb")
            run_succeeds(runner, version, tmpdir, ["-c", str(path)])
        assert cf_records(emus[0]) == cf_records(emus[1])
        assert ("b.example.com", "AAAA", V6, 300, False) in cf_records(emus[1])
    finally:
        close(emus)


@pytest.mark.parametrize("version", NEWER)
def test_v41_providers_list_runs_the_same(version, tmpdir):
    doc = strip_jsonc(peer_text("docs-multi-providers.jsonc"))
    cfs, dps = cloudflare_pair(), dnspod_pair()
    try:
        for i, runner in enumerate(("ddns", "ours")):
            conf = json.loads(json.dumps(doc))
            conf.update({"cache": False, "log": {"level": "INFO"},
                         "index4": "shell:echo " + V4})
            cf, dp = conf["providers"]
            cf.update({"id": "", "token": CF_TOKEN, "endpoint": cf_base(cfs[i]),
                       "ipv4": ["a.example.com", "b.example.com"]})
            dp.update({"id": DP_ID, "token": DP_TOKEN, "endpoint": dps[i].url,
                       "ipv4": ["a.example.com", "b.example.com"]})
            path = write(tmpdir, runner + ".json", conf)
            run_succeeds(runner, version, tmpdir, ["-c", path])
        assert cf_records(cfs[0]) == cf_records(cfs[1])
        assert dp_records(dps[0]) == dp_records(dps[1])
        assert ("a", "A", V4, "600", u"默认") in dp_records(dps[1])
    finally:
        close(cfs + dps)


@pytest.mark.parametrize("version", NEWER)
def test_two_config_files_both_run_the_same(version, tmpdir):
    cfs, dps = cloudflare_pair(), dnspod_pair()
    try:
        for i, runner in enumerate(("ddns", "ours")):
            a = write(tmpdir, runner + "-a.json", {
                "dns": "cloudflare", "token": CF_TOKEN, "endpoint": cf_base(cfs[i]),
                "ipv4": ["a.example.com"], "index4": "shell:echo " + V4, "cache": False})
            b = write(tmpdir, runner + "-b.json", {
                "dns": "dnspod", "id": DP_ID, "token": DP_TOKEN, "endpoint": dps[i].url,
                "ipv4": "b.example.com", "index4": "shell:echo " + V4, "cache": False})
            if runner == "ddns":
                code, out = run_ddns(version, tmpdir, ["-c", a, "-c", b])
                assert code == 0, out
            else:
                res = run_ours(tmpdir, ["-c", a, "-c", b])
                assert res.code == 0, res
        assert cf_records(cfs[0]) == cf_records(cfs[1])
        assert dp_addresses(dps[0]) == dp_addresses(dps[1])
        assert ("b", "A", V4, u"默认") in dp_addresses(dps[1])
        assert ttl_of(dps[0], "b") == ["600"] and ttl_of(dps[1], "b") == ["300"]  # see above
    finally:
        close(cfs + dps)


@pytest.mark.parametrize("version", NEWER)
def test_env_only_docker_setup_runs_the_same(version, tmpdir):
    """ddns's Docker image is configured by DDNS_* variables alone (docs/en/config/env.md)."""
    emus = dnspod_pair()
    try:
        for emu, runner in zip(emus, ("ddns", "ours")):
            env = {"DDNS_DNS": "dnspod", "DDNS_ID": DP_ID, "DDNS_TOKEN": DP_TOKEN,
                   "DDNS_ENDPOINT": emu.url, "DDNS_IPV4": '["a.example.com", "b.example.com"]',
                   "DDNS_INDEX4": "shell:echo " + V4, "DDNS_IPV6": "a.example.com",
                   "DDNS_INDEX6": "shell:echo " + V6, "DDNS_TTL": "120",
                   "DDNS_LOG_LEVEL": "DEBUG", "DDNS_CACHE": "false"}
            if runner == "ddns":
                code, out = run_ddns(version, tmpdir, [], env=env)
                assert code == 0, out
            else:
                res = run(["--json"], tmpdir.mkdir("ours-env"), env=env)
                assert res.code == 0, res
        assert dp_addresses(emus[0]) == dp_addresses(emus[1])
        assert ("b", "A", V4, u"默认") in dp_addresses(emus[1])
        assert ttl_of(emus[1], "a") == ["120", "120"] == ttl_of(emus[0], "a")  # created
        assert ttl_of(emus[0], "b") == ["600"] and ttl_of(emus[1], "b") == ["120"]  # updated
    finally:
        close(emus)


def test_the_cloudflare_script_file_keeps_its_record(tmpdir):
    text = peer_text("cfscript-ddns.json")
    with CloudflareEmulator() as cf:
        cf.tokens[CF_TOKEN] = None
        zone = cf.add_zone("example.com")
        conf = json.loads(text)
        conf.update({"name": "home", "Authorization": "Bearer " + CF_TOKEN, "Zone": zone})
        conf.pop("sleeptime")  # one pass, not a loop
        path = write(tmpdir, "ddns.json", conf)
        res = run_ours(tmpdir, ["-c", path, "--index4", V4, "--endpoint", cf.url])
        assert res.code == 0, res
        assert [(r["name"], r["content"]) for r in cf.records()] == [("home.example.com", V4)]


def test_interval_in_a_ddns_file_is_minutes(tmpdir):
    """ddns 4.2: "interval": 5 in a file runs its built-in sync every 5 minutes."""
    from ddns_min import config
    path = write(tmpdir, "c.json", {"dns": "debug", "ipv4": ["a.example.com"], "interval": 5})
    assert config.load({"config": path})["interval"] == 300


# ---- callback: ddns's documented examples ---------------------------------------------------

def hook_calls(hook):
    return sorted((r.method, r.path, sorted(r.query.items()), sorted((r.json or {}).items()))
                  for r in hook.requests)


@pytest.mark.parametrize("version", NEWER)
@pytest.mark.parametrize("example", ["docs-callback-get-url.jsonc", "docs-callback-post.jsonc"])
def test_callback_docs_examples_call_the_same(version, example, tmpdir):
    from fake_push import WebhookEmulator
    doc = strip_jsonc(peer_text(example))
    hooks = [WebhookEmulator(), WebhookEmulator()]
    for hook in hooks:
        hook.__enter__()
    try:
        for hook, runner in zip(hooks, ("ddns", "ours")):
            conf = dict(doc, ipv4="a.example.com", index4="shell:echo " + V4, cache=False)
            # ddns takes the URL in "id" only (the POST example's "endpoint" it refuses: below)
            conf["id"] = (conf.pop("endpoint", None) or conf["id"]).replace(
                "https://api.example.com", hook.url)
            if isinstance(conf.get("token"), dict):
                # ddns flattens an object in a file into token_api_key, ... and then sends a
                # GET; as a JSON string it POSTs it, as its docs say (the object: below)
                conf["token"] = json.dumps(conf["token"])
            path = write(tmpdir, runner + ".json", conf)
            run_succeeds(runner, version, tmpdir, ["-c", path])
        assert hook_calls(hooks[0]) == hook_calls(hooks[1]) != []
    finally:
        close(hooks)


@pytest.mark.parametrize("version", NEWER)
@pytest.mark.parametrize("example", ["docs-callback-get-endpoint.jsonc",
                                     "docs-callback-post.jsonc"])
def test_callback_endpoint_as_documented_works_here_though_ddns_refuses_it(version, example,
                                                                          tmpdir):
    """ddns's docs (docs/en/providers/callback.md) set "endpoint" (with the path and query in
    "id", or alone for a POST); ddns's code (CallbackProvider._validate) refuses any endpoint.
    ddns_min does what the docs say."""
    from fake_push import WebhookEmulator
    doc = strip_jsonc(peer_text(example))
    with WebhookEmulator() as hook:
        conf = dict(doc, endpoint=hook.url, ipv4="a.example.com", ipv6=[],
                    index4="shell:echo " + V4, cache=False)
        path = write(tmpdir, "cb.json", conf)
        code, out = run_ddns(version, tmpdir, ["-c", path])
        assert code != 0 and "endpoint or id must be configured with URL" in out
        assert hook.requests == []
        res = run_ours(tmpdir, ["-c", path])
        assert res.code == 0, res
        [req] = hook.requests
        if "post" in example:
            assert (req.method, req.path, req.json) == ("POST", "/", {
                "api_key": "your_secret_key", "domain": "a.example.com", "value": V4})
        else:
            assert (req.method, req.path, req.query) == ("GET", "/ddns",
                                                         {"domain": "a.example.com", "ip": V4})


@pytest.mark.parametrize("version", NEWER)
def test_callback_token_object_posts_here_though_ddns_flattens_it_into_a_get(version, tmpdir):
    from fake_push import WebhookEmulator
    doc = strip_jsonc(peer_text("docs-callback-post.jsonc"))
    hooks = [WebhookEmulator(), WebhookEmulator()]
    for hook in hooks:
        hook.__enter__()
    try:
        for hook, runner in zip(hooks, ("ddns", "ours")):
            conf = dict(doc, ipv4="a.example.com", index4="shell:echo " + V4, cache=False)
            conf["id"] = conf.pop("endpoint").replace("https://api.example.com", hook.url)
            path = write(tmpdir, runner + ".json", conf)
            if runner == "ddns":
                assert run_ddns(version, tmpdir, ["-c", path])[0] == 0
            else:
                assert run_ours(tmpdir, ["-c", path]).code == 0
        assert [r.method for r in hooks[0].requests] == ["GET"]  # ddns: the body is lost
        [req] = hooks[1].requests
        assert req.method == "POST" and req.json["domain"] == "a.example.com"
    finally:
        close(hooks)
