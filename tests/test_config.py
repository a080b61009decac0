# -*- coding: utf-8 -*-
"""Config: precedence, the ddns package's config.json, and one clear error per mistake."""
import io
import json

import pytest

from ddns_min import config
from ddns_min.errors import ConfigError

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
    ({"dns": "alidns"}, ['"dns"', "alidns", "cloudflare"]),
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


def test_unknown_key_in_file_is_an_error(tmpdir):
    path = write(tmpdir, '{"dns": "cloudflare", "token": "x", "ipv4": ["a.example.com"], "tll": 60}')
    with pytest.raises(ConfigError) as info:
        config.load({"config": path})
    assert '"tll"' in str(info.value)


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
