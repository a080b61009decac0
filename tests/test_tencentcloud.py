"""Tencent Cloud API 3.0: HMAC over hashlib against RFC 4231, and the client against an
emulator that checks every TC3 signature with Python's own hmac."""
import binascii
import json

import pytest

from fake_tencentcloud import TencentCloudEmulator
from ddns_min.providers.signing import hmac_sha256

SECRET_ID, SECRET_KEY = "AKIDexample", "tc-key-s3cr3t"
NEW = "81.2.69.142"

RFC4231 = [  # (key, data, HMAC-SHA256) test cases 1, 2, 6 and 7
    (b"\x0b" * 20, b"Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    (b"Jefe", b"what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    (b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    (b"\xaa" * 131, b"This is a test using a larger than block-size key and a larger than "
     b"block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
]


@pytest.mark.parametrize("key, data, expected", RFC4231)
def test_hmac_sha256_matches_rfc4231(key, data, expected):
    assert binascii.hexlify(hmac_sha256(key, data)).decode() == expected


@pytest.fixture
def tencent():
    with TencentCloudEmulator() as emu:
        emu.keys[SECRET_ID] = SECRET_KEY
        emu.domains.add("example.com")
        yield emu


def run(client, tmpdir, tencent, **extra):
    data = {"dns": "tencentcloud", "id": SECRET_ID, "token": SECRET_KEY, "endpoint": tencent.url,
            "ipv4": ["home.example.com"], "index4": NEW, "cache": str(tmpdir.join("s.json"))}
    data.update(extra)
    tmpdir.join("config.json").write(json.dumps(data))
    return client(["-c", str(tmpdir.join("config.json")), "--json"])


def test_create_then_cached_then_update_reads_first(client, tmpdir, tencent):
    res = run(client, tmpdir, tencent, ipv4=["home.example.com", "example.com"])
    assert res.code == 0, res
    assert sorted(r["Name"] for r in tencent.records()) == ["@", "home"]
    actions = [r.headers["x-tc-action"] for r in tencent.requests]
    assert actions == ["DescribeRecordList"] + ["CreateRecord"] * 2  # one listing, the writes
    assert "Subdomain" not in tencent.requests[0].json
    assert run(client, tmpdir, tencent).json["records"][0]["action"] == "cached"
    sent = len(tencent.requests)
    res = run(client, tmpdir, tencent, index4="81.2.69.150")
    assert res.json["records"][0]["action"] == "updated", res
    assert [r.headers["x-tc-action"] for r in tencent.requests[sent:]] == \
        ["DescribeRecordList", "ModifyRecord"]
    assert tencent.records("home")[0]["Value"] == "81.2.69.150"
    assert tencent.same_value_writes == 0


def test_unchanged_record_is_not_modified(client, tmpdir, tencent):
    tencent.add_record("example.com", "home", "A", NEW, ttl=120)
    res = run(client, tmpdir, tencent, cache=False)
    assert res.json["records"][0]["action"] == "unchanged"
    assert [r.headers["x-tc-action"] for r in tencent.requests] == ["DescribeRecordList"]


def test_wrong_key_is_refused_once(client, tmpdir, tencent):
    res = run(client, tmpdir, tencent, token="wrong-s3cr3t", ipv4=["a.example.com",
                                                                  "b.example.com"])
    assert res.code == 3, res
    assert "AuthFailure.SignatureFailure" in res.err and len(tencent.requests) == 1
