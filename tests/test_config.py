# -*- coding: utf-8 -*-
"""Config: precedence, the ddns package's config.json, and one clear error per mistake."""
import io
import json

import pytest

from ddns_min import config
from ddns_min.errors import ConfigError
from ddns_min.providers import ALIASES, NAMES

DDNS_V4_FILE = u"""{
  "$schema": "https://ddns.newfuture.cc/schema/v4.0.json",
  // comments like these are allowed by the ddns package
  "id": "12345",
  "token": "dnspod-token-value", /* and these */
  "dns": "dnspod",
  "ipv4": ["newfuture.cc", "ddns.newfuture.cc"],
  "ipv6": ["newfuture.cc", "ipv6.ddns.newfuture.cc"],
  "index4": "default",
  "index6": ["public", 0, "2404:f801:10:.*"],
  "ttl": 600,
  "line": "电信",
  "proxy": "127.0.0.1:1080;DIRECT",
  "cache": false,
  "log": {"level": "WARNING", "file": null, "format": "%(message)s", "datefmt": null}
}
"""


def warned(capsys):
    """The warnings of a load, less the (separately tested) one about file permissions."""
    return "".join(line + "\n" for line in capsys.readouterr().err.splitlines()
                   if "other users can read it" not in line)


def write(tmpdir, text, name="config.json"):
    path = str(tmpdir.join(name))
    with io.open(path, "wb") as f:
        f.write(text.encode("utf-8"))
    return path


def test_ddns_v4_config_file_works_unchanged(tmpdir):
    conf = config.load({"config": write(tmpdir, DDNS_V4_FILE)})
    assert conf["dns"] == "dnspod" and conf["id"] == "12345"
    assert conf["names"][4] == ["newfuture.cc", "ddns.newfuture.cc"]
    assert conf["rules"][4] == ["default"]
    assert conf["rules"][6] == ["public", 0, "regex:2404:f801:10:.*"]
    assert conf["ttl"] == 600 and conf["cache"] is None
    assert conf["proxy"] == ["127.0.0.1:1080", "DIRECT"]
    assert conf["log_level"] == "WARNING"
    assert config.as_list("x", conf["line"]) and conf["line"]


def test_precedence_argv_then_file_then_env(tmpdir, monkeypatch):
    path = write(tmpdir, json.dumps({"dns": "cloudflare", "token": "file-token",
                                     "ipv4": ["file.example.com"], "ttl": 300}))
    monkeypatch.setenv("DDNS_TOKEN", "env-token")
    monkeypatch.setenv("DDNS_TTL", "120")
    monkeypatch.setenv("DDNS_LINE", "env-line")
    conf = config.load({"config": path, "ipv4": ["argv.example.com"]})
    assert conf["names"][4] == ["argv.example.com"]
    assert conf["token"] == "file-token" and conf["ttl"] == 300
    assert conf["line"] == "env-line"


def test_env_only_with_comma_list(monkeypatch):
    monkeypatch.setenv("DDNS_DNS", "cloudflare")
    monkeypatch.setenv("DDNS_TOKEN", "t0ken-from-env")
    monkeypatch.setenv("DDNS_IPV4", "a.example.com, b.example.com")
    monkeypatch.setenv("DDNS_IPV6", '["c.example.com"]')
    monkeypatch.setenv("DDNS_INDEX4", "81.2.69.142")
    conf = config.load({})
    assert conf["names"][4] == ["a.example.com", "b.example.com"]
    assert conf["names"][6] == ["c.example.com"]
    assert conf["rules"][4] == ["81.2.69.142"]


def test_dnspod_id_and_token_in_one_field():
    conf = config.load({"dns": "dnspod", "token": "12345,abcdef", "ipv4": ["a.example.com"]})
    assert (conf["id"], conf["token"]) == ("12345", "abcdef")


@pytest.mark.parametrize("opts, words", [
    ({"dns": "alidnz"}, ['"dns"', "alidnz", "cloudflare"]),
    ({"ttl": "5"}, ['"ttl"', "60..86400", "5"]),
    ({"ttl": "abc"}, ['"ttl"', "abc"]),
    ({"ipv4": ["bad_domain..com"]}, ['"ipv4"', "bad_domain..com"]),
    ({"ipv4": ["-x.example.com"]}, ['"ipv4"', "-x.example.com"]),
    ({"ipv4": []}, ['"ipv4"', '"ipv6"']),
    ({"index4": ["pubilc"]}, ['"index4"', "pubilc"]),
    ({"index4": ["2a02:ec0::1"]}, ['"index4"', "IPv4"]),
    ({"index6": ["url:ftp://x"]}, ['"index6"', "http"]),
    ({"index4": ["regex:("]}, ['"index4"', "regular expression"]),
    ({"endpoint": "http://api.example.com/v4"}, ['"endpoint"', "https"]),
    ({"proxied": "maybe"}, ['"proxied"', "maybe"]),
    ({"ssl": "false"}, ['"ssl"']),
    ({"token": None}, ['"token"']),
    ({"log": {"level": "LOUD"}}, ['"log.level"', "LOUD"]),
    ({"proxy": "https://proxy:8080"}, ['"proxy"']),
])
def test_bad_values_name_the_key(opts, words):
    base = {"dns": "cloudflare", "token": "sekrit-token-1", "ipv4": ["home.example.com"]}
    base.update(opts)
    with pytest.raises(ConfigError) as info:
        config.load(base)
    message = str(info.value)
    for word in words:
        assert word in message, message
    assert "sekrit-token-1" not in message


def test_dnspod_needs_id():
    with pytest.raises(ConfigError) as info:
        config.load({"dns": "dnspod", "token": "abcdef", "ipv4": ["a.example.com"]})
    assert '"id"' in str(info.value)


def test_unknown_key_in_file_is_named_in_a_warning(tmpdir, capsys):
    # ddns hands unknown keys to the provider as extras; ddns_min cannot, and says so
    path = write(tmpdir, '{"dns": "cloudflare", "token": "x", "ipv4": ["a.example.com"], "tll": 60}')
    conf = config.load({"config": path})
    err = warned(capsys)
    assert conf["ttl"] is None and '"tll"' in err and "ignored" in err and err.count("\n") == 1


def test_unreadable_and_broken_files(tmpdir):
    with pytest.raises(ConfigError) as info:
        config.load({"config": str(tmpdir.join("missing.json"))})
    assert "missing.json" in str(info.value)
    with pytest.raises(ConfigError) as info:
        config.load({"config": write(tmpdir, '{"dns": "cloudflare",,}')})
    assert "not valid JSON" in str(info.value)


def test_comment_markers_inside_strings_are_kept(tmpdir):
    path = write(tmpdir, '{"dns": "cloudflare", "token": "a//b/*c*/", "ipv4": ["a.example.com"],'
                         ' "index4": "url:https://example.com/ip"} // end')
    conf = config.load({"config": path})
    assert conf["token"] == "a//b/*c*/"
    assert conf["rules"][4] == ["url:https://example.com/ip"]


def test_domain_normalised_and_deduplicated():
    conf = config.load({"dns": "cloudflare", "token": "x" * 10,
                        "ipv4": ["Home.Example.COM.", "home.example.com", "*.example.com"]})
    assert conf["names"][4] == ["home.example.com", "*.example.com"]


def test_dry_run_needs_no_account():
    conf = config.load({"dry_run": True, "ipv4": ["home.example.com"]})
    assert conf["dns"] is None and conf["token"] is None


def test_loopback_http_endpoint_allowed():
    conf = config.load({"dns": "cloudflare", "token": "x" * 10, "ipv4": ["a.example.com"],
                        "endpoint": "http://127.0.0.1:8080/client/v4/"})
    assert conf["endpoint"] == "http://127.0.0.1:8080/client/v4"


def test_ddns_v41_providers_list_inherits_global_keys(tmpdir):
    path = write(tmpdir, json.dumps({
        "$schema": "https://ddns.newfuture.cc/schema/v4.1.json", "ssl": "auto", "cache": False,
        "cache_max_age": 3600, "index4": "public;regex:192\\.168\\..*", "ttl": 600,
        "providers": [
            {"provider": "cloudflare", "token": "cf-token", "ipv4": ["a.example.com"],
             "extra": {"proxied": True, "comment": "by ddns"}},
            {"provider": "dnspod", "id": "1", "token": "dp-token", "ipv4": ["b.example.cn"],
             "ttl": 300, "index4": ["default"]}]}))
    confs = config.load_all({"config": path})
    assert [(c["dns"], c["names"][4], c["ttl"], c["proxied"]) for c in confs] == [
        ("cloudflare", ["a.example.com"], 600, True), ("dnspod", ["b.example.cn"], 300, None)]
    assert confs[0]["rules"][4] == ["public", "regex:192\\.168\\..*"]
    assert confs[1]["rules"][4] == ["default"] and confs[1]["cache"] is None


def test_ddns_v41_provider_error_names_the_entry(tmpdir):
    path = write(tmpdir, json.dumps({"providers": [
        {"provider": "cloudflare", "token": "x", "ipv4": ["a.example.com"]},
        {"provider": "dnspod", "token": "x", "ipv4": ["a.example.com"], "ttl": "abc"}]}))
    with pytest.raises(ConfigError) as info:
        config.load_all({"config": path})
    assert "providers[1]" in str(info.value) and '"ttl"' in str(info.value)


def test_shell_rule_from_env_or_file_keeps_its_spaces(monkeypatch):
    monkeypatch.setenv("DDNS_INDEX4", "shell:ip -4 addr show dev eth0 | grep inet")
    conf = config.load({"dns": "cloudflare", "token": "x" * 8, "ipv4": ["a.example.com"]})
    assert conf["rules"][4] == ["shell:ip -4 addr show dev eth0 | grep inet"]


# ---- the ddns package's files, variables and spellings (issue 14) ----------------------------

PEER = __import__("os").path.join(__import__("os").path.dirname(__import__("os").path.dirname(
    __import__("os").path.abspath(__file__))), "..", "shared", "reference", "peer-configs")


def peer_file(name):
    path = __import__("os").path.join(PEER, name)
    if not __import__("os").path.exists(path):
        pytest.skip("needs ../shared/reference/peer-configs beside the clone")
    with io.open(path, encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("name", ["newconfig-4.1.5.json", "newconfig-4.2.0.json"])
def test_the_file_ddns_new_config_writes_is_read(tmpdir, capsys, name):
    conf = config.load({"config": write(tmpdir, peer_file(name))})
    assert conf["dns"] == "debug" and conf["names"] == {4: ["ddns.newfuture.cc"], 6: []}
    assert conf["rules"][4] == ["default"] and conf["ttl"] == 600 and conf["proxy"] == []
    assert warned(capsys) == ""  # ddns's defaults (cache_max_age, log.format) are quiet


def test_empty_index_with_names_is_refused_in_one_line(tmpdir):
    path = write(tmpdir, '{"dns": "debug", "ipv6": ["a.example.com"], "index6": []}')
    with pytest.raises(ConfigError) as info:
        config.load({"config": path})
    assert '"index6" is empty' in str(info.value) and '"ipv6"' in str(info.value)


def test_hash_comment_lines_and_line_ends(tmpdir):
    text = u'# ddns 4.1 comment\n{\n  # another\n  "dns": "debug", # end of line\n' \
           u'  "ipv4": ["a.example.com"], "line": "a#b"\n}\n'
    conf = config.load({"config": write(tmpdir, text)})
    assert conf["dns"] == "debug" and conf["line"] == "a#b"


def test_extra_keys_and_extra_prefix(tmpdir, capsys):
    text = ('{"dns": "cloudflare", "token": "t", "ipv4": ["a.example.com"], '
            '"extra": {"proxied": true, "comment": "home"}, "extra_tags": ["x"]}')
    conf = config.load({"config": write(tmpdir, text)})
    err = warned(capsys)
    assert conf["proxied"] is True
    assert '"comment"' in err and '"tags"' in err and "proxied" in err and err.count("\n") == 2


def test_no_effect_keys_warn_only_when_not_ddns_default(tmpdir, capsys):
    text = ('{"dns": "debug", "ipv4": ["a.example.com"], "cache_max_age": 60, '
            '"log": {"level": "DEBUG", "format": "%(message)s"}}')
    conf = config.load({"config": write(tmpdir, text)})
    err = warned(capsys)
    assert conf["log_level"] == "DEBUG"
    assert '"cache_max_age"' in err and '"log_format"' in err and err.count("\n") == 2


@pytest.mark.parametrize("value,seconds", [(5, 300), ("5", 300), (1440, 86400), ("300s", 300),
                                           ("30s", 30), ("2m", 120), (0, 0)])
def test_interval_is_minutes_as_in_ddns_or_seconds_with_a_unit(value, seconds):
    conf = config.load({"dns": "debug", "ipv4": ["a.example.com"], "interval": value})
    assert conf["interval"] == seconds


@pytest.mark.parametrize("value", [1441, "10s", -1, "5h", True])
def test_interval_out_of_range_is_refused(value):
    with pytest.raises(ConfigError) as info:
        config.load({"dns": "debug", "ipv4": ["a.example.com"], "interval": value})
    assert '"interval"' in str(info.value) and "minutes" in str(info.value)


DDNS_42_NAMES = ("alidns", "aliesa", "cloudflare", "cloudns", "dnscom", "51dns", "dnspod",
                 "dnspod_com", "edgeone", "edgeone_dns", "he", "huaweidns", "namesilo", "noip",
                 "callback", "debug", "tencentcloud", "west")


def test_every_provider_name_of_ddns_4_2_is_ours_or_an_alias_of_ours():
    for name in DDNS_42_NAMES:
        assert name in NAMES, name
    for alias, name in ALIASES.items():
        assert name in NAMES and alias not in NAMES, alias


@pytest.mark.parametrize("alias, name", [("aliyun", "alidns"), ("he_net", "he"),
                                         ("teo_dns", "edgeone_dns"), ("QCloud", "tencentcloud")])
def test_ddns_aliases_run_their_provider(alias, name):
    data = {"dns": alias, "token": "y-s3cr3t", "ipv4": ["a.example.com"]}
    if name != "he":  # he takes its key alone
        data["id"] = "x"
    assert config.load(data)["dns"] == name


def test_an_unknown_provider_is_refused_in_one_line_naming_the_choices():
    with pytest.raises(ConfigError) as info:
        config.load({"dns": "gandi", "id": "x", "token": "y", "ipv4": ["a.example.com"]})
    message = str(info.value)
    assert '"gandi"' in message and '"dns" must be one of' in message and "\n" not in message


def test_several_files_each_run_and_ddns_config_env(tmpdir, monkeypatch):
    a = write(tmpdir, '{"dns": "debug", "ipv4": ["a.example.com"]}', "a.json")
    b = write(tmpdir, '{"dns": "debug", "ipv4": ["b.example.com"]}', "b.json")
    confs = config.load_all({"config": [a, b]})
    assert [c["names"][4] for c in confs] == [["a.example.com"], ["b.example.com"]]
    monkeypatch.setenv("DDNS_CONFIG", "%s,%s" % (b, a))
    confs = config.load_all({})
    assert [c["names"][4] for c in confs] == [["b.example.com"], ["a.example.com"]]
    assert len(config.load_all({"config": [a]})) == 1  # the command line wins over DDNS_CONFIG


def test_error_in_second_file_names_it(tmpdir):
    a = write(tmpdir, '{"dns": "debug", "ipv4": ["a.example.com"]}', "a.json")
    b = write(tmpdir, '{"dns": "debug", "ipv4": ["a.example.com"], "ttl": "x"}', "b.json")
    with pytest.raises(ConfigError) as info:
        config.load_all({"config": [a, b]})
    assert '"ttl"' in str(info.value) and "b.json" in str(info.value)


def test_default_paths_as_ddns_when_no_file_is_named(tmpdir, monkeypatch):
    monkeypatch.setenv("HOME", str(tmpdir))
    monkeypatch.delenv("DDNS_CONFIG", raising=False)
    tmpdir.mkdir(".ddns")
    write(tmpdir, '{"dns": "debug", "ipv4": ["home.example.com"]}', ".ddns/config.json")
    monkeypatch.chdir(tmpdir.mkdir("elsewhere"))
    conf = config.load_all({"default_config": True})[0]
    assert conf["names"][4] == ["home.example.com"]
    write(tmpdir.join("elsewhere"), '{"dns": "debug", "ipv4": ["cwd.example.com"]}')
    assert config.load_all({"default_config": True})[0]["names"][4] == ["cwd.example.com"]


def test_env_variables_as_ddns_reads_them(monkeypatch, capsys):
    for key, value in (("DDNS_DNS", "cloudflare"), ("DDNS_TOKEN", " tok-en "),
                       ("DDNS_IPV4", "['a.example.com', 'b.example.com']"),
                       ("DDNS_INDEX4", "81.2.69.142"), ("DDNS_LOG_LEVEL", "warning"),
                       ("DDNS_EXTRA_PROXIED", "true"), ("DDNS_TTL", "120"),
                       ("DDNS_INTERVAL", "10"), ("DDNS_CACHE", "false"), ("DDNS_SSL", "auto"),
                       ("DDNS_EXTRA_COMMENT", "home"), ("DDNS_MIN_PYTHON", "/x"),
                       ("ddns_line", "default")):
        monkeypatch.setenv(key, value)
    conf = config.load({})
    assert conf["dns"] == "cloudflare" and conf["token"] == "tok-en"
    assert conf["names"][4] == ["a.example.com", "b.example.com"]
    assert conf["rules"][4] == ["81.2.69.142"] and conf["log_level"] == "WARNING"
    assert conf["proxied"] is True and conf["ttl"] == 120 and conf["interval"] == 600
    assert conf["cache"] is None and conf["line"] == "default"  # lower-case names, as ddns
    err = warned(capsys)
    assert '"comment"' in err and "PYTHON" not in err and err.count("\n") == 1


def test_pythonhttpsverify_off_is_refused(monkeypatch):
    monkeypatch.setenv("PYTHONHTTPSVERIFY", "0")
    with pytest.raises(ConfigError) as info:
        config.load({"dns": "debug", "ipv4": ["a.example.com"]})
    assert "PYTHONHTTPSVERIFY" in str(info.value)


def test_cloudflare_endpoint_as_ddns_writes_it_gets_the_api_path():
    conf = config.load({"dns": "cloudflare", "token": "t", "ipv4": ["a.example.com"],
                        "endpoint": "https://cf-relay.example.com/"})
    assert conf["endpoint"] == "https://cf-relay.example.com/client/v4"
    conf = config.load({"dns": "cloudflare", "token": "t", "ipv4": ["a.example.com"],
                        "endpoint": "https://api.cloudflare.com/client/v4"})
    assert conf["endpoint"] == "https://api.cloudflare.com/client/v4"


def test_providers_and_dns_together_are_refused(tmpdir):
    path = write(tmpdir, '{"dns": "debug", "providers": [{"provider": "debug", '
                         '"ipv4": ["a.example.com"]}]}')
    with pytest.raises(ConfigError) as info:
        config.load_all({"config": path})
    assert '"providers"' in str(info.value) and '"dns"' in str(info.value)


def test_callback_docs_examples(tmpdir):
    text = peer_file("docs-callback-get-endpoint.jsonc").replace(
        "https://api.example.com", "https://hooks.example.com")
    conf = config.load({"config": write(tmpdir, text)})
    from ddns_min.providers.callback import Callback
    assert Callback.url_of(conf) == "https://hooks.example.com/ddns?domain=__DOMAIN__&ip=__IP__"
    conf = config.load({"config": write(tmpdir, peer_file("docs-callback-post.jsonc"))})
    assert json.loads(conf["token"]) == {"api_key": "your_secret_key", "domain": "__DOMAIN__",
                                         "value": "__IP__"}
    assert Callback.url_of(conf) == "https://api.example.com"


@pytest.mark.parametrize("maker", ["fifo", "device", "directory", "huge"])
def test_config_file_must_be_a_small_regular_file(tmpdir, maker):
    import os
    path = str(tmpdir.join("config.json"))
    if maker == "fifo":
        os.mkfifo(path)
    elif maker == "device":
        path = "/dev/zero"
    elif maker == "directory":
        os.mkdir(path)
    else:
        with open(path, "wb") as f:
            f.truncate(50 * 1024 * 1024)  # sparse: 50 MB that would all be read
    with pytest.raises(ConfigError) as info:
        config.load({"config": path})
    message = str(info.value)
    assert path in message and ("regular file" in message or "1 MiB" in message)


def test_a_name_that_starts_like_loopback_is_no_plain_http_endpoint(tmpdir):
    """http://127.0.0.1.example.net resolves wherever its owner likes: the token would leave in
    clear text. Only address literals and localhost count as loopback."""
    from clirun import run
    for url in ("http://127.0.0.1.example.net/client/v4", "http://localhost.example.net",
                "http://127.1.example.net:8080/"):
        res = run(["--dns", "cloudflare", "--token", "tok-s3cr3t-12345", "--endpoint", url,
                   "--ipv4", "home.example.com", "--index4", "81.2.69.142"], tmpdir)
        assert res.code == 2 and '"endpoint" must be an https:// URL' in res.err, res
    ok = run(["--dns", "cloudflare", "--token", "tok-s3cr3t-12345", "--endpoint",
              "http://127.9.9.9:1/client/v4", "--ipv4", "home.example.com", "--index4",
              "81.2.69.142", "--dry-run"], tmpdir)
    assert '"endpoint"' not in ok.err, ok
