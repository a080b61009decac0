"""DNS.com / 51dns: the MD5 hash against the published signing example, and the client against an
emulator that recomputes every hash with hashlib (tests/fake_dnscom.py)."""
import hashlib
import json
import os
import subprocess

import pytest

from fake_dnscom import TOO_FAST, DNSComEmulator, published_hash
from ddns_min.providers.signing import dnscom_hash
from interpreters import require_micropython

API_KEY, SECRET = "dnscom-key-1", "dnscom-secret-s3cr3t"
NEW, NEW6 = "81.2.69.142", "2001:4860:4860::8888"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_hash_follows_the_published_example():
    # https://www.51dns.com/document/api/70/72.html (also www.dns.com/document/api/70/72.html):
    # apiKey c7722149110b7492a2e5cf1d8f3f966b, domain dns.com, timestamp 1521005892, apiSecret
    # ecb4ff0e877a83292b9f35067e9ae673 -> the string to hash is "apiKey=...&domain=dns.com
    # &timestamp=1521005892" + apiSecret, hashed with MD5. The page shows the string, not the
    # digest: check that we hash exactly that string.
    pairs = [("timestamp", "1521005892"), ("domain", "dns.com"),
             ("apiKey", "c7722149110b7492a2e5cf1d8f3f966b")]
    final = ("apiKey=c7722149110b7492a2e5cf1d8f3f966b&domain=dns.com&timestamp=1521005892"
             "ecb4ff0e877a83292b9f35067e9ae673")
    assert dnscom_hash(pairs, "ecb4ff0e877a83292b9f35067e9ae673") == \
        hashlib.md5(final.encode()).hexdigest()


def test_hash_matches_the_emulator_on_values_that_urlencoding_would_change():
    params = {"host": "@", "value": NEW6, "apiKey": API_KEY, "timestamp": "1700000000",
              "viewID": "0", "remark": u"caf\u00e9 & co"}
    assert dnscom_hash(list(params.items()), SECRET) == published_hash(params, SECRET)


@pytest.fixture
def dnscom():
    with DNSComEmulator() as emu:
        emu.keys[API_KEY] = SECRET
        emu.add_domain("example.com")
        yield emu


def run(client, tmpdir, emu, **extra):
    data = {"dns": "dnscom", "id": API_KEY, "token": SECRET, "endpoint": emu.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def test_create_a_and_aaaa_then_cached_then_update_reads_first(client, tmpdir, dnscom):
    res = run(client, tmpdir, dnscom, ipv4=["home.example.com", "example.com"],
              ipv6=["home.example.com"], index6=NEW6, ttl=300)
    assert res.code == 0, res
    assert sorted((r["record"], r["type"], r["TTL"]) for r in dnscom.records()) == \
        [("@", "A", 300), ("home", "A", 300), ("home", "AAAA", 300)]
    assert dnscom.actions() == [
        "domain/getsingle", "record/list",  # home A
        "domain/getsingle", "record/list",  # example.com A
        "record/list",                      # home AAAA: zone known
        "record/create", "record/create", "record/create"]
    assert run(client, tmpdir, dnscom, ttl=300).json["records"][0]["action"] == "cached"
    sent = len(dnscom.requests)
    res = run(client, tmpdir, dnscom, index4="81.2.69.150", ttl=300)
    assert res.json["records"][0]["action"] == "updated", res
    assert dnscom.actions()[sent:] == ["domain/getsingle", "record/list", "record/modify"]
    assert dnscom.records("home")[0]["value"] == "81.2.69.150"
    assert dnscom.same_value_writes == 0


def test_unchanged_record_is_not_modified_and_51dns_is_the_same(client, tmpdir, dnscom):
    dnscom.add_record("example.com", "home", "A", NEW, ttl=120)
    res = run(client, tmpdir, dnscom, dns="51dns", cache=False)
    assert res.json["records"][0]["action"] == "unchanged", res
    assert dnscom.actions() == ["domain/getsingle", "record/list"]


def test_zone_found_under_a_two_label_suffix(client, tmpdir, dnscom):
    dnscom.add_domain("example.com.cn")
    dnscom.add_record("example.com.cn", "home", "A", "81.2.69.1")
    res = run(client, tmpdir, dnscom, ipv4=["home.example.com.cn"], cache=False)
    assert res.json["records"][0]["action"] == "updated", res
    assert dnscom.actions() == ["domain/getsingle"] * 2 + ["record/list", "record/modify"]
    assert dnscom.records("home")[0]["value"] == NEW


def test_wrong_secret_is_refused_once(client, tmpdir, dnscom):
    res = run(client, tmpdir, dnscom, token="wrong-s3cr3t",
              ipv4=["a.example.com", "b.example.com"])
    assert res.code == 3, res
    assert "hash error" in res.err and len(dnscom.requests) == 1


def test_rate_limit_names_the_code(client, tmpdir, dnscom):
    dnscom.limited = True
    res = run(client, tmpdir, dnscom)
    assert res.code == 1, res
    assert "rate limit" in res.err and "[%d]" % TOO_FAST in res.err


@pytest.mark.micropython
def test_micropython_without_md5_stops_before_any_request(tmpdir, dnscom):
    # Not every MicroPython build has hashlib.md5: a hashlib with only sha256 stands in for one.
    micropython = require_micropython()
    tmpdir.mkdir("nomd5").join("hashlib.py").write("from uhashlib import sha256\n")
    tmpdir.join("config.json").write(json.dumps({
        "dns": "dnscom", "id": API_KEY, "token": SECRET, "endpoint": dnscom.url,
        "ipv4": ["home.example.com"], "index4": NEW, "cache": False}))
    env = dict(os.environ, HOME=str(tmpdir),
               MICROPYPATH="%s:%s:.frozen" % (tmpdir.join("nomd5"), ROOT))
    proc = subprocess.Popen([micropython, "-m", "ddns_min", "-c", str(tmpdir.join(
        "config.json"))], cwd=str(tmpdir), env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    out, err = proc.communicate()
    err = err.decode("utf-8", "replace")
    assert proc.returncode == 2, (out, err)
    assert "md5" in err and "s3cr3t" not in err and not dnscom.requests
