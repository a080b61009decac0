"""Notifications and health-check pings, end to end: the client against the Cloudflare
emulator, with local servers on 127.0.0.1 standing in for each target and recording what arrives."""
import json
import socket
import time

import pytest

from fake_http import EchoServer, loopback_socket

TOKEN = "cf-token-Zx81PqS3cr3t"
OLD, NEW = "81.2.69.140", "81.2.69.142"
HOOK_SECRET = "hook-s3cr3t-77"


@pytest.fixture
def target():
    """A stand-in for any target: answers 200 "ok" and records every request."""
    servers = []

    def start(body="ok", status=200):
        server = EchoServer(body, status).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


def base(server):
    return "http://127.0.0.1:%d" % server.server.server_address[1]


def ddns(client, tmpdir, cf, notify, *args, **extra):
    data = {"dns": "cloudflare", "token": TOKEN, "endpoint": cf.url, "ipv4": ["home.example.com"],
            "index4": NEW, "cache": str(tmpdir.join("state.json")), "notify": notify}
    data.update(extra)
    path = tmpdir.join("config.json")
    path.write(json.dumps(data))
    return client(["-c", str(path), "--json"] + list(args))


def zone(cf, ip=OLD):
    cf.tokens[TOKEN] = None
    cf.add_zone("example.com")
    return cf.add_record("example.com", "home.example.com", "A", ip, ttl=300)


def test_change_is_told_once_with_old_and_new_address(client, tmpdir, cloudflare, target):
    zone(cloudflare)
    hook, ntfy, gotify, tg = target(), target(), target(), target()
    notify = [base(hook).replace("http", "webhook:http", 1) + "/" + HOOK_SECRET +
              "?d=__DOMAIN__&ip=__IP__&old=__OLDIP__&e=__EVENT__",
              "ntfy:%s/home-dns" % base(ntfy),
              {"kind": "gotify", "url": base(gotify) + "/message?token=GotifyS3cr3tToken"},
              "telegram:%s/bot123:TgS3cr3tToken/sendMessage?chat_id=%%40home" % base(tg)]
    res = ddns(client, tmpdir, cloudflare, notify)
    assert res.code == 0, res
    assert cloudflare.records(name="home.example.com")[0]["content"] == NEW
    [call] = hook.requests
    assert (call.method, call.path) == ("GET", "/" + HOOK_SECRET)
    assert call.query == {"d": "home.example.com", "ip": NEW, "old": OLD, "e": "change"}
    [msg] = ntfy.requests
    assert (msg.method, msg.path) == ("POST", "/home-dns")
    assert msg.body == "home.example.com A: %s -> %s (cloudflare)" % (OLD, NEW)
    assert msg.headers["title"] == "ddns_min: address changed"
    [msg] = gotify.requests
    assert msg.query == {"token": "GotifyS3cr3tToken"}
    assert OLD in msg.json["message"] and NEW in msg.json["message"]
    assert msg.json["title"] == "ddns_min: address changed"
    [msg] = tg.requests
    assert msg.path == "/bot123:TgS3cr3tToken/sendMessage" and msg.query == {}
    assert msg.json["chat_id"] == "@home"
    assert msg.json["text"].endswith("%s -> %s (cloudflare)" % (OLD, NEW))
    # the next run finds nothing to do: nothing is sent
    res = ddns(client, tmpdir, cloudflare, notify)
    assert res.code == 0 and res.json["records"][0]["action"] == "cached", res
    assert [len(s.requests) for s in (hook, ntfy, gotify, tg)] == [1, 1, 1, 1]


def test_webhook_post_json_body(client, tmpdir, cloudflare, target):
    zone(cloudflare)
    hook, custom = target(), target()
    notify = ["webhook+post:%s/hook" % base(hook),
              {"kind": "webhook", "url": base(custom) + "/c",
               "body": {"text": "__DOMAIN__ now __IP__ (was __OLDIP__)", "n": 1}}]
    res = ddns(client, tmpdir, cloudflare, notify, ipv4=["home.example.com", "new.example.com"])
    assert res.code == 0, res
    bodies = sorted([r.json for r in hook.requests], key=lambda b: b["domain"])
    assert [(b["domain"], b["action"], b["ip"], b["old_ip"], b["event"]) for b in bodies] == [
        ("home.example.com", "updated", NEW, OLD, "change"),
        ("new.example.com", "created", NEW, "", "change")]
    assert hook.requests[0].headers["content-type"] == "application/json"
    texts = sorted([r.json["text"] for r in custom.requests])
    assert texts == ["home.example.com now %s (was %s)" % (NEW, OLD),
                     "new.example.com now %s (was )" % NEW]
    assert [r.json["n"] for r in custom.requests] == [1, 1]


def test_failure_once_per_run_then_recovery(client, tmpdir, cloudflare, target):
    zone(cloudflare)
    ntfy, hook = target(), target()
    notify = ["ntfy:%s/t" % base(ntfy),
              "webhook:%s/only-recovery?e=__EVENT__&d=__DOMAIN__#recovery" % base(hook)]
    cloudflare.fail_next(status=500, body='{"success":false,"errors":[{"code":1,"message":"x"}]}',
                         content_type="application/json", count=20)
    res = ddns(client, tmpdir, cloudflare, notify)
    assert res.code == 1, res
    assert cloudflare.records(name="home.example.com")[0]["content"] == OLD
    [msg] = ntfy.requests  # one message, however often the provider call was retried
    assert msg.body.startswith("home.example.com A: failed: ")
    assert msg.headers["title"] == "ddns_min: update failed"
    assert hook.requests == []
    cloudflare.faults[:] = []
    res = ddns(client, tmpdir, cloudflare, notify)
    assert res.code == 0, res
    assert res.json["records"][0]["recovered"] is True
    titles = [r.headers["title"] for r in ntfy.requests]
    assert titles == ["ddns_min: update failed", "ddns_min: address changed",
                      "ddns_min: update works again"]
    assert "works again" in ntfy.requests[2].body
    [call] = hook.requests
    assert call.query == {"e": "recovery", "d": "home.example.com"}
    res = ddns(client, tmpdir, cloudflare, notify)
    assert res.code == 0 and "recovered" not in res.json["records"][0]
    assert len(ntfy.requests) == 3 and len(hook.requests) == 1


def test_pings_after_every_pass(client, tmpdir, cloudflare, target):
    zone(cloudflare)
    hc, kuma = target(), target()
    notify = ["healthchecks:%s/ping/HcS3cr3tUuid#start" % base(hc),
              "kuma:%s/api/push/KumaS3cr3t?status=up&msg=OK&ping=" % base(kuma)]
    res = ddns(client, tmpdir, cloudflare, notify)
    assert res.code == 0, res
    assert [r.path for r in hc.requests] == ["/ping/HcS3cr3tUuid/start", "/ping/HcS3cr3tUuid"]
    [push] = kuma.requests
    assert push.path == "/api/push/KumaS3cr3t"
    assert (push.query["status"], push.query["ping"]) == ("up", "")
    # cached run: still pinged (the dead man's switch)
    res = ddns(client, tmpdir, cloudflare, notify)
    assert res.json["records"][0]["action"] == "cached", res
    assert len(hc.requests) == 4 and len(kuma.requests) == 2
    # a failing run: /fail with the reason in the body, kuma "down"
    cloudflare.fail_next(status=500, body="down", count=20)
    res = ddns(client, tmpdir, cloudflare, notify, index4="81.2.69.150")
    assert res.code == 1, res
    assert hc.requests[-1].path == "/ping/HcS3cr3tUuid/fail"
    assert hc.requests[-1].body.startswith("home.example.com A: failed: ")
    assert kuma.requests[-1].query["status"] == "down"
    assert kuma.requests[-1].query["msg"].startswith("home.example.com A: failed")


def test_unchanged_run_sends_nothing(client, tmpdir, cloudflare, target):
    zone(cloudflare, ip=NEW)
    ntfy = target()
    res = ddns(client, tmpdir, cloudflare, ["ntfy:%s/t" % base(ntfy)])
    assert res.code == 0 and res.json["records"][0]["action"] == "unchanged", res
    res = ddns(client, tmpdir, cloudflare, ["ntfy:%s/t" % base(ntfy)], "--dry-run",
               index4="81.2.69.150")
    assert res.code == 0, res
    assert ntfy.requests == []


def test_failing_targets_change_nothing(client, tmpdir, cloudflare, target):
    """A target that answers 500, one that refuses the connection and one that never answers:
    the update lands, the run ends in time with exit 0, each failure is one warning."""
    zone(cloudflare)
    broken, wrong = target("no", status=500), target("no such topic", status=404)
    closed, closed_port = loopback_socket(socket.SOCK_STREAM)
    closed.close()
    hang, hang_port = loopback_socket(socket.SOCK_STREAM)
    hang.listen(5)
    try:
        notify = ["ntfy:%s/t" % base(broken), "ntfy:%s/t" % base(wrong),
                  "gotify:http://127.0.0.1:%d/message?token=RefusedS3cr3t" % closed_port,
                  "webhook:http://127.0.0.1:%d/HangS3cr3t" % hang_port]
        began = time.time()
        res = ddns(client, tmpdir, cloudflare, notify)
        took = time.time() - began
        tries = pending_connections(hang)
    finally:
        hang.close()
    assert res.code == 0, res
    assert res.json["ok"] is True
    assert cloudflare.records(name="home.example.com")[0]["content"] == NEW
    assert took < 25, took  # 5 s for the hang (not retried) and start-up
    assert len(broken.requests) == 2  # one retry after a quick failure
    assert len(wrong.requests) == 1  # a 4xx would answer the same again
    assert tries == 1  # a timeout is not tried again
    warnings = [l for l in res.err.splitlines() if "not sent" in l]
    assert len(warnings) == 4, res.err
    assert "HTTP 500" in warnings[0] and "HTTP 404" in warnings[1]
    assert "notify gotify (127.0.0.1): change not sent" in warnings[2]


def pending_connections(listener):
    """Connections the kernel accepted for a socket that never calls accept()."""
    listener.setblocking(False)
    count = 0
    while True:
        try:
            conn, _ = listener.accept()
        except (IOError, OSError):
            return count
        conn.close()
        count += 1


def test_a_hang_is_cut_by_the_run_budget(client, tmpdir, cloudflare):
    zone(cloudflare)
    hang, port = loopback_socket(socket.SOCK_STREAM)
    hang.listen(5)
    try:
        began = time.time()
        res = client(["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
                      "--ipv4", "home.example.com", "--index4", NEW, "--json",
                      "--cache", str(tmpdir.join("state.json")),
                      "--notify", "webhook:http://127.0.0.1:%d/x" % port],
                     env={"DDNS_MIN_RUN_BUDGET": "3"})
        took = time.time() - began
    finally:
        hang.close()
    assert res.code == 0, res
    assert cloudflare.records(name="home.example.com")[0]["content"] == NEW
    assert took < 15, took
    assert "not sent" in res.err


def test_notify_from_environment_and_argv(client, tmpdir, cloudflare, target):
    zone(cloudflare)
    one, two = target(), target()
    env = {"DDNS_NOTIFY": "ntfy:%s/a webhook:%s/b?x=__IP__" % (base(one), base(two))}
    res = client(["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
                  "--ipv4", "home.example.com", "--index4", NEW, "--json",
                  "--cache", str(tmpdir.join("state.json"))], env=env)
    assert res.code == 0, res
    assert [r.path for r in one.requests] == ["/a"]
    assert [r.query for r in two.requests] == [{"x": NEW}]
    cloudflare.add_record("example.com", "b.example.com", "A", OLD)
    res = client(["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
                  "--ipv4", "b.example.com", "--index4", NEW, "--json",
                  "--cache", str(tmpdir.join("state.json")),
                  "--notify", "ntfy:%s/argv" % base(one)], env=env)
    assert res.code == 0, res
    assert [r.path for r in one.requests] == ["/a", "/argv"]  # argv wins over the environment
    assert len(two.requests) == 1


def test_notify_as_json_in_the_environment(client, tmpdir, cloudflare, target):
    zone(cloudflare)
    one = target()
    env = {"DDNS_NOTIFY": json.dumps([{"kind": "gotify", "url": base(one) + "/message",
                                       "token": "EnvS3cr3tKey", "title": "home"}])}
    res = client(["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
                  "--ipv4", "home.example.com", "--index4", NEW, "--json", "--debug",
                  "--cache", str(tmpdir.join("state.json"))], env=env)
    assert res.code == 0, res
    [msg] = one.requests
    assert msg.headers["x-gotify-key"] == "EnvS3cr3tKey"
    assert (msg.json["title"], msg.json["priority"]) == ("home", 5)


@pytest.mark.parametrize("notify, message", [
    ("sms:https://x.example/", 'kind must be one of'),
    ("ntfy:http://ntfy.example.com/t", "must be https://"),
    ("ntfy:", '"url" must be a URL'),
    ({"kind": "ntfy", "url": "https://n.example/t", "events": ["move"]}, "events must be of"),
    ({"kind": "webhook", "url": "https://n.example/t", "method": "PUT"}, '"method" must be'),
    ({"kind": "webhook", "url": "https://n.example/t", "body": "x"}, '"body" must be'),
    ({"kind": "ntfy", "url": "https://n.example/t", "colour": 1}, 'unknown key "colour"'),
    (["ntfy:https://n.example/t", 7], "target 2 must be"),
    ("[not json", "not valid JSON"),
])
def test_bad_targets_are_config_errors(client, tmpdir, cloudflare, notify, message):
    zone(cloudflare)
    res = ddns(client, tmpdir, cloudflare, notify)
    assert res.code == 2, res
    assert message in res.err, res.err
    assert cloudflare.requests == []


def test_secret_in_a_bad_url_is_not_shown(client, tmpdir, cloudflare):
    res = ddns(client, tmpdir, cloudflare,
               ["gotify:http://gotify.example.com/message?token=BadUrlS3cr3t"])
    assert res.code == 2 and "target 1 (gotify)" in res.err, res


# -- the README's examples, as written, with each host pointed at a local stand-in

HOSTS = ("hooks.example.com", "ntfy.sh", "gotify.example.com", "api.telegram.org", "hc-ping.com",
         "kuma.example.com")
SECRET_WORDS = {"APP_TOKEN": "APP_s3cr3t", "BOT_TOKEN": "BOT_s3cr3t", "PUSH_TOKEN": "PUSH_s3cr3t",
                "YOUR-CHECK-UUID": "uuid-s3cr3t"}


def local(text, servers):
    for host in HOSTS:
        text = text.replace("https://" + host, base(servers[host]))
    for word in SECRET_WORDS:
        text = text.replace(word, SECRET_WORDS[word])
    return text


def test_readme_config_example(client, tmpdir, cloudflare, target):
    from test_docs import block
    zone(cloudflare)
    servers = dict((host, target()) for host in HOSTS)
    example = json.loads(local(block("notify-config"), servers))
    res = ddns(client, tmpdir, cloudflare, example["notify"], "--debug")
    assert res.code == 0, res
    hooks = dict((r.path, r) for r in servers["hooks.example.com"].requests)
    assert sorted(hooks) == ["/chat", "/ddns"]
    assert hooks["/ddns"].query == {"name": "home.example.com", "ip": NEW, "was": OLD,
                                    "event": "change"}
    assert hooks["/chat"].json == {"text": "home.example.com moved from %s to %s" % (OLD, NEW)}
    [msg] = servers["ntfy.sh"].requests
    assert msg.path == "/my-home-dns" and OLD in msg.body and NEW in msg.body
    [msg] = servers["gotify.example.com"].requests
    assert msg.query == {"token": "APP_s3cr3t"} and NEW in msg.json["message"]
    [msg] = servers["api.telegram.org"].requests
    assert msg.path == "/bot123456:BOT_s3cr3t/sendMessage" and msg.json["chat_id"] == "987654"
    assert [r.path for r in servers["hc-ping.com"].requests] == ["/uuid-s3cr3t/start",
                                                                 "/uuid-s3cr3t"]
    [push] = servers["kuma.example.com"].requests
    assert push.path == "/api/push/PUSH_s3cr3t" and push.query["status"] == "up"


def test_readme_environment_and_command_line_examples(client, tmpdir, cloudflare, target):
    import re
    from test_docs import block
    zone(cloudflare)
    servers = dict((host, target()) for host in HOSTS)
    text = local(block("notify-env"), servers)
    env = {"DDNS_NOTIFY": re.search(r'DDNS_NOTIFY="([^"]*)"', text).group(1)}
    res = client(["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
                  "--ipv4", "home.example.com", "--index4", NEW, "--json",
                  "--cache", str(tmpdir.join("state.json"))], env=env)
    assert res.code == 0, res
    assert [r.path for r in servers["hc-ping.com"].requests] == ["/uuid-s3cr3t"]
    [msg] = servers["ntfy.sh"].requests
    assert OLD in msg.body and NEW in msg.body
    cloudflare.fail_next(status=500, body="down", count=20)
    flag = re.search(r"--notify '([^']*)'", text).group(1)
    res = client(["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
                  "--ipv4", "home.example.com", "--index4", "81.2.69.150", "--json",
                  "--cache", str(tmpdir.join("state.json")), "--notify", flag], env=env)
    assert res.code == 1, res
    assert [r.headers["title"] for r in servers["ntfy.sh"].requests] == [
        "ddns_min: address changed", "ddns_min: update failed"]
    assert len(servers["hc-ping.com"].requests) == 1  # the command line replaced the environment


def test_readme_uci_example(client, tmpdir, tmpdir_factory, cloudflare, target):
    from test_docs import block
    zone(cloudflare)
    servers = dict((host, target()) for host in HOSTS)
    text = local(block("notify-uci"), servers).replace("YOUR_TOKEN", TOKEN)
    text += "\toption endpoint '%s'\n\toption index4 '%s'\n\toption cache '%s'\n" % (
        cloudflare.url, NEW, tmpdir.join("state.json"))
    path = tmpdir_factory.mktemp("etc").join("ddns_min")  # the user's file: holds the tokens
    path.write("package ddns_min\n\n" + text)
    path.chmod(0o600)
    res = client(["-c", str(path), "--section", "home", "--json"])
    assert res.code == 0, res
    [msg] = servers["ntfy.sh"].requests
    assert OLD in msg.body and NEW in msg.body
    assert [r.path for r in servers["hc-ping.com"].requests] == ["/uuid-s3cr3t"]


def test_several_providers_ping_once_for_the_whole_pass(client, tmpdir, cloudflare, target):
    """A `ddns` v4.1 file with two providers: one ping on the merged result, so the second
    provider's success cannot hide the first one's failure; messages come from each run."""
    zone(cloudflare)
    hc, ntfy = target(), target()
    data = {"providers": [
        {"provider": "cloudflare", "token": "wrong-S3cr3t-token", "ipv4": ["home.example.com"]},
        {"provider": "cloudflare", "token": TOKEN, "ipv4": ["home.example.com"]}],
        "endpoint": cloudflare.url, "index4": NEW, "cache": str(tmpdir.join("state.json")),
        "notify": ["healthchecks:%s/ping/HcS3cr3tUuid" % base(hc), "ntfy:%s/t" % base(ntfy)]}
    path = tmpdir.join("config.json")
    path.write(json.dumps(data))
    res = client(["-c", str(path), "--json"])
    assert res.code == 3, res
    assert cloudflare.records(name="home.example.com")[0]["content"] == NEW
    assert [r.path for r in hc.requests] == ["/ping/HcS3cr3tUuid/fail"]
    assert sorted(r.headers["title"] for r in ntfy.requests) == [
        "ddns_min: address changed", "ddns_min: update failed"]


def test_a_redirect_is_not_followed(client, tmpdir, cloudflare, target):
    zone(cloudflare)
    moved, elsewhere = target(), target()
    moved.fail_next(status=302, headers={"Location": base(elsewhere) + "/x"}, count=5)
    res = ddns(client, tmpdir, cloudflare, ["gotify:%s/message?token=RedirS3cr3tTok" % base(moved)])
    assert res.code == 0, res
    assert len(moved.requests) == 1 and elsewhere.requests == []
    assert "redirect to 127.0.0.1 not followed" in res.err, res.err
