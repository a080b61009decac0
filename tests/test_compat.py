# -*- coding: utf-8 -*-
"""compat's json_loads/json_dumps must give exactly what json gives, for valid and broken text."""
import json

import pytest

from ddns_min import compat

SAMPLES = [
    {"version": 1, "records": {"cloudflare|abc|A|home.example.com": {
        "ip": "81.2.69.142", "settings": [None, 300, True], "verified": 1795369550,
        "record": {"id": "6499e696", "proxied": False}}}, "refused": {}},
    [], {}, "", u"\u9ed8\u8ba4 \u00e9 \U0001F600 \"quoted\" back\\slash \n\t\x01", -0, 1e100, 2.5,
    12345678901234567890, [None, True, False, [[]], {"": ""}],
]
BROKEN = ["", " ", "{", "{} x", "\x0c{}", "nul", "[1,]", '"\x01"', "{'a': 1}", "[1] [2]",
          '{"records": {"trunc', '{"a" 1}', "01", "\ufeff{}"]


@pytest.mark.parametrize("value", SAMPLES)
def test_dumps_and_loads_match_json(value):
    text = compat.json_dumps(value)
    assert text == json.dumps(value)
    assert compat.json_loads(text) == value
    assert compat.json_loads(" \n" + json.dumps(value, indent=2) + "\r\n\t") == value


@pytest.mark.parametrize("text", BROKEN)
def test_broken_text_fails_like_json(text):
    with pytest.raises(ValueError) as ours:
        compat.json_loads(text)
    with pytest.raises(ValueError) as theirs:
        json.loads(text)
    assert str(ours.value) == str(theirs.value)  # json's message, with its position


def test_hexlify():
    assert compat.hexlify(b"\x00\x0f\xff") == "000fff"
    assert compat.hexlify(compat.sha256("abc"))[:16] == "ba7816bf8f01cfea"


@pytest.mark.parametrize("text", BROKEN)
def test_broken_text_fails_like_json_in_a_fresh_process(text):
    """Where json was never imported: the C scanner's error path expects json.decoder loaded."""
    import subprocess
    import sys
    from clirun import ROOT
    code = ("import sys; sys.path.insert(0, %r); from ddns_min import compat\n"
            "try:\n"
            "    compat.json_loads(%r)\n"
            "except ValueError as exc:\n"
            "    print(str(exc))\n" % (ROOT, text))
    out = subprocess.check_output([sys.executable, "-c", code]).decode().strip()
    with pytest.raises(ValueError) as theirs:
        json.loads(text)
    assert out == str(theirs.value)
