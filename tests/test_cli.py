"""The command line as a user meets it: exit codes, --json, --dry-run, --status, IP rules."""
import json
import os

import pytest

from clirun import run
from interpreters import find_program

TOKEN = "cli-token-W9s3cr3tValue"


def test_version_and_help(client, tmpdir):
    from ddns_min import __version__
    res = client(["--version"])
    assert res.code == 0 and res.out.strip() == "ddns_min " + __version__
    res = client(["--help"])
    assert res.code == 0 and "--ipv4" in res.out and "Exit:" in res.out


@pytest.mark.parametrize("args, words", [
    (["--bogus"], ["--bogus"]),
    (["--ipv4"], ["--ipv4"]),
    (["--dns", "cloudflare", "--ipv4", "home.example.com"], ['"token"']),
    (["--dns", "nope", "--token", TOKEN, "--ipv4", "home.example.com"], ['"dns"', "nope"]),
    (["--dns", "cloudflare", "--token", TOKEN, "--ipv4", "bad..name"], ['"ipv4"', "bad..name"]),
    (["--dns", "cloudflare", "--token", TOKEN, "--ipv4", "a.example.com", "--index4", "what"],
     ['"index4"', "what"]),
    (["-c", "/nonexistent/config.json"], ["/nonexistent/config.json"]),
])
def test_usage_and_config_errors_exit_2_in_one_line(client, tmpdir, cloudflare, args, words):
    res = client(args + ["--endpoint", cloudflare.url])
    assert res.code == 2, res
    assert "Traceback" not in res.err
    lines = [l for l in res.err.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:")
    for word in words:
        assert word in res.err
    assert TOKEN not in res.err
    assert cloudflare.requests == []


def test_json_error_object_on_config_error(client, tmpdir):
    res = client(["--json", "--dns", "nope", "--ipv4", "a.example.com"])
    assert res.code == 2
    data = json.loads(res.out)
    assert data["ok"] is False and data["exit_code"] == 2 and '"dns"' in data["error"]


def test_dry_run_without_account_sends_nothing(client, tmpdir, cloudflare):
    res = client(["--dry-run", "--json", "--dns", "cloudflare", "--endpoint", cloudflare.url,
               "--ipv4", "home.example.com", "--index4", "81.2.69.142",
               "--ipv6", "home.example.com", "--index6", "2a02:ec0::1"])
    assert res.code == 0, res
    assert [(r["type"], r["ip"], r["action"]) for r in res.json["records"]] == \
        [("A", "81.2.69.142", "planned"), ("AAAA", "2a02:ec0::1", "planned")]
    assert cloudflare.requests == []


def test_dry_run_human_output(client, tmpdir):
    res = client(["--dry-run", "--ipv4", "home.example.com", "--index4", "81.2.69.142"])
    assert res.code == 0
    assert "home.example.com A: would set 81.2.69.142" in res.err


def test_url_rule_rejects_html_and_private_answers(client, tmpdir, echo_server, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    html = echo_server("<html><body>Your IP: 81.2.69.142</body></html>", content_type="text/html")
    private = echo_server("192.168.1.20\n")
    res = client(["--json", "--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
               "--ipv4", "home.example.com", "--index4", "url:" + html.url, "url:" + private.url,
               "--cache", "false"])
    assert res.code == 1, res
    assert res.json["records"][0]["action"] == "failed"
    assert "not an IPv4 address" in res.err and "private" in res.err
    assert cloudflare.requests == [] and cloudflare.records() == []


def test_url_rule_takes_first_good_answer_and_trace_format(client, tmpdir, echo_server):
    bad = echo_server("10.0.0.1")
    trace = echo_server("fl=1\nh=example\nip=81.2.69.142\nts=1\n")
    res = client(["--dry-run", "--json", "--ipv4", "home.example.com",
               "--index4", "url:" + bad.url, "url:" + trace.url])
    assert res.code == 0, res
    assert res.json["records"][0]["ip"] == "81.2.69.142"
    assert "10.0.0.1" in res.err and "private" in res.err


def test_literal_rule_of_wrong_family_and_false(client, tmpdir):
    res = client(["--dry-run", "--json", "--ipv4", "a.example.com", "--index4", "false",
               "--ipv6", "a.example.com", "--index6", "2a02:ec0::1"])
    assert res.code == 0
    assert [r["action"] for r in res.json["records"]] == ["skipped", "planned"]


def test_cmd_and_shell_rules(client, tmpdir):
    res = client(["--dry-run", "--json", "--ipv4", "a.example.com", "b.example.com",
               "--index4", "shell:echo 'addr: 81.2.69.142/24' | cat"])
    assert res.code == 0, res
    assert res.json["records"][0]["ip"] == "81.2.69.142"
    res = client(["--dry-run", "--json", "--ipv4", "a.example.com", "--index4", "cmd:false"])
    assert res.code == 1 and res.json["records"][0]["action"] == "failed"


def test_interface_rule_reads_loopback(client, tmpdir):
    res = client(["--dry-run", "--json", "--ipv4", "a.example.com", "--index4", "interface:lo"])
    assert res.code == 0, res
    assert res.json["records"][0]["ip"] == "127.0.0.1"


def test_env_settings_and_status(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    env = {"DDNS_DNS": "cloudflare", "DDNS_TOKEN": TOKEN, "DDNS_ENDPOINT": cloudflare.url,
           "DDNS_IPV4": "a.example.com,b.example.com", "DDNS_INDEX4": "81.2.69.142"}
    res = client([], env=env)
    assert res.code == 0, res
    assert "a.example.com A: created 81.2.69.142" in res.err
    sent = len(cloudflare.requests)
    status = client(["--status"])
    assert status.code == 0
    data = json.loads(status.out)
    assert sorted((r["domain"], r["ip"], r["action"]) for r in data["records"]) == \
        [("a.example.com", "81.2.69.142", "created"), ("b.example.com", "81.2.69.142", "created")]
    assert len(cloudflare.requests) == sent
    assert TOKEN not in status.out
    assert TOKEN not in tmpdir.join(".cache", "ddns_min", "state.json").read()


def test_damaged_state_file_is_ignored_with_warning(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    state = tmpdir.join("state.json")
    state.write('{"version": 1, "records": {"trunc')
    args = ["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
            "--ipv4", "a.example.com", "--index4", "81.2.69.142", "--cache", str(state)]
    res = client(args)
    assert res.code == 0, res
    assert "damaged" in res.err
    assert json.loads(state.read())["records"]
    assert client(args + ["--json"]).json["records"][0]["action"] == "cached"


def test_an_unchanged_run_takes_no_lock_and_a_waiting_run_reads_the_state_again(
        client, tmpdir, cloudflare):
    """Cron and hotplug at once: the second run waits for the lock only when it has work to do,
    and then finds the first run's update in the state instead of sending it again."""
    import threading
    import time
    from ddns_min.state import State
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    rid = cloudflare.add_record("example.com", "a.example.com", "A", "81.2.69.142")
    state = str(tmpdir.join("state.json"))
    args = ["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
            "--ipv4", "a.example.com", "--cache", state, "--json", "--index4"]
    assert client(args + ["81.2.69.142"]).code == 0
    lock = tmpdir.join("state.json.lock")
    lock.mkdir()  # another run is busy
    sent = len(cloudflare.requests)
    res = client(args + ["81.2.69.142"])
    assert res.json["records"][0]["action"] == "cached"
    assert lock.check(dir=1) and len(cloudflare.requests) == sent

    results = []
    waiting = threading.Thread(target=lambda: results.append(client(args + ["81.2.69.143"])))
    waiting.start()
    time.sleep(1.5)
    assert not results  # it needs the provider, so it waits for the lock
    # meanwhile the other run updates the record and the state, then lets go
    cloudflare.set_record(rid, content="81.2.69.143")
    done = State(state)
    key = State.key({"dns": "cloudflare", "endpoint": cloudflare.url, "token": TOKEN}, "A",
                    "a.example.com")
    entry = done.get(key)
    entry.update(ip="81.2.69.143", verified=int(time.time()))
    done.put(key, entry)
    done.save()
    lock.remove()
    waiting.join(60)
    assert results[0].json["records"][0]["action"] == "cached", results[0]
    assert len(cloudflare.requests) == sent
    assert not lock.check()


def test_token_file_and_readable_config_warning(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    secret = tmpdir.join("cf.token")
    secret.write(TOKEN + "\n")
    os.chmod(str(secret), 0o600)
    res = client(["--dns", "cloudflare", "--token-file", str(secret), "--endpoint", cloudflare.url,
                  "--ipv4", "a.example.com", "--index4", "81.2.69.142", "--cache", "false"])
    assert res.code == 0, res
    assert "warning" not in res.err
    assert cloudflare.requests[0].headers["authorization"] == "Bearer " + TOKEN
    os.chmod(str(secret), 0o644)
    res = client(["--dns", "cloudflare", "--token-file", str(secret), "--endpoint", cloudflare.url,
                  "--ipv4", "a.example.com", "--index4", "81.2.69.142", "--cache", "false"])
    assert res.code == 0 and "chmod 600" in res.err
    res = client(["--dns", "cloudflare", "--token-file", str(tmpdir.join("nope")),
                  "--ipv4", "a.example.com"])
    assert res.code == 2 and '"token_file"' in res.err


def test_clock_before_release_is_reported_not_a_tls_failure(tmpdir):
    faketime = find_program("faketime")
    if faketime is None:
        if os.environ.get("CI") == "true":
            pytest.fail("faketime is needed in CI")
        pytest.skip("faketime is not installed")
    import sys
    res = run(["--dns", "cloudflare", "--token", TOKEN, "--endpoint", "https://127.0.0.1:9/x",
               "--ipv4", "a.example.com", "--index4", "81.2.69.142", "--cache", "false"],
              tmpdir, interpreter=[faketime, "-f", "1970-01-01 00:00:10", sys.executable])
    assert res.code == 1, res
    assert "clock" in res.err and "1970-01-01" in res.err and "NTP" in res.err


def test_in_process_main_against_dnspod(tmpdir, dnspod, capsys, monkeypatch):
    from ddns_min import cli
    for key in list(os.environ):
        if key.startswith("DDNS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(tmpdir))
    dnspod.tokens.add("42,inproc-s3cr3t")
    dnspod.add_domain("example.com")
    argv = ["--json", "--dns", "dnspod", "--id", "42", "--token", "inproc-s3cr3t",
            "--endpoint", dnspod.url, "--ipv6", "v6.example.com", "--index6", "2a02:ec0::1"]
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["records"][0]["action"] == "created"
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["records"][0]["action"] == "cached"
    assert "s3cr3t" not in out + err
    assert [r.path for r in dnspod.requests] == ["/Record.List", "/Record.Create"]


def test_log_file_debug_and_syslog(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    logfile = tmpdir.join("ddns.log")
    args = ["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
            "--ipv4", "a.example.com", "--index4", "81.2.69.142", "--log-file", str(logfile)]
    res = client(args + ["--debug"])
    assert res.code == 0, res
    assert "cloudflare GET /zones" in res.err and "answered HTTP 200" in res.err
    lines = logfile.read().splitlines()
    assert any(l.endswith("INFO a.example.com A: created 81.2.69.142") for l in lines)
    assert all(len(l) > 21 and l[4] == "-" and l[10] == "T" and l[19] == "Z" for l in lines)
    res = client(args + ["--syslog"])
    if client.interpreter == "micropython":
        assert res.code == 2 and "logger" in res.err
    else:
        assert res.code == 0, res


def test_status_shows_the_last_error_of_a_record_that_never_worked(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    args = ["--dns", "cloudflare", "--token", TOKEN, "--endpoint", cloudflare.url,
            "--ipv4", "a.example.org", "--index4", "81.2.69.142"]
    assert client(args).code == 1
    status = json.loads(client(["--status"]).out)
    assert status["ok"] is False
    [rec] = status["records"]
    assert rec["domain"] == "a.example.org" and "no zone" in rec["error"] and rec["failed"]
    assert rec["ip"] is None


def test_proxy_is_refused_on_micropython_only(client, tmpdir):
    res = client(["--dry-run", "--ipv4", "a.example.com", "--index4", "81.2.69.142",
                  "--proxy", "127.0.0.1:3128;DIRECT"])
    if client.interpreter == "micropython":
        assert res.code == 2 and '"proxy"' in res.err and "MicroPython" in res.err
    else:
        assert res.code == 0, res


# ---- the ddns package's flags (issue 14) ------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["--no-ssl"], ["--no-ssl", "TLS"]),
    (["--new-config", "x.json"], ["--new-config"]),
    (["task", "--install"], ['"task"']),
    (["web"], ['"web"']),
    (["--dns", "gandi", "--id", "x", "--token", TOKEN, "--ipv4", "a.example.com"],
     ['"dns" must be one of', '"gandi"']),
    (["--dns", "debug", "--ipv4", "a.example.com", "--interval", "1441"], ['"interval"']),
])
def test_ddns_flags_we_cannot_honour_are_refused_in_one_line(client, tmpdir, args, words):
    res = client(args)
    assert res.code == 2, res
    lines = [l for l in res.err.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), res
    for word in words:
        assert word in res.err


def test_ddns_flag_spellings(client, tmpdir):
    log_file = tmpdir.join("ddns.log")
    res = client(["--dns", "debug", "--ipv4", "a.example.com", "b.example.com", "--index4",
                  "81.2.69.142", "--log_level", "DEBUG", "--log.file", str(log_file),
                  "--cache_max_age", "259200", "--cache", "--ssl", "--proxy", "DIRECT",
                  "--log_format", "%(message)s", "-v"])
    assert res.code == 0 and res.out.startswith("ddns_min "), res
    res = client(["--dns", "debug", "--ipv4", "a.example.com", "--index4", "81.2.69.142",
                  "--log_level", "DEBUG", "--log.file", str(log_file), "--cache_max_age", "60",
                  "--no-cache", "--json"])
    assert res.code == 0, res
    assert [r["domain"] for r in res.json["records"]] == ["a.example.com"]
    assert '"cache_max_age"' in res.err and "no effect" in res.err
    assert log_file.read()


def test_several_config_files_each_run(client, tmpdir):
    a, b = tmpdir.join("a.json"), tmpdir.join("b.json")
    a.write('{"dns": "debug", "ipv4": ["a.example.com"], "index4": "81.2.69.142"}')
    b.write('{"dns": "debug", "ipv4": ["b.example.com"], "index4": "81.2.69.143"}')
    res = client(["-c", str(a), "-c", str(b), "--json", "--cache", "false"])
    assert res.code == 0, res
    assert sorted((r["domain"], r["ip"]) for r in res.json["records"]) == \
        [("a.example.com", "81.2.69.142"), ("b.example.com", "81.2.69.143")]
    res = client(["-c", str(b), str(a), "--json", "--cache", "false"])  # ddns: -c FILE ...
    assert sorted(r["domain"] for r in res.json["records"]) == ["a.example.com", "b.example.com"]


def test_config_fifo_is_refused_at_once(client, tmpdir):
    fifo = str(tmpdir.join("config.json"))
    os.mkfifo(fifo)
    res = client(["-c", fifo])  # would block forever on open() without the check
    assert res.code == 2 and "regular file" in res.err, res
