"""UCI files read without the `uci` binary, and a UCI section as the client's settings.

The expected values below were checked against libuci itself (openwrt/uci as of 2025-12, built
from source: `uci -X show`); test_same_as_libuci repeats that check when a `uci` binary is around
(UCI_BIN=/path/to/uci)."""
import json
import os
import subprocess

import pytest

from clirun import ROOT
from ddns_min import config, uci
from ddns_min.errors import ConfigError
from interpreters import find_program, require_micropython

FILE = r"""
package ddns_min

# a comment
config ddns_min 'home'
	option enabled '1'
	option dns 'cloudflare'
	option token "tok\"en s3cr3t"   # trailing comment
	list ipv4 'home.example.com'
	list ipv4 "www.example.com"
	option interface wan
	option ttl 300

config ddns_min
	option dns dnspod
	option id '123'
	option token 'abc'
	list ipv6 v6.example.com
"""

# Each: UCI text -> {section name: (type, options)} as libuci reads it.
CASES = [
    # quoting: '...' literal (backslash too), "..." with \ escapes, bare words with \ escapes,
    # pieces glued together, an unquoted # anywhere ends the line
    ("config ddns_min h\n\toption a 'it'\\''s'\n\toption b a\\ b\n\toption c 'back\\slash'\n"
     "\toption d \"q\\\\z\"\n\toption e \"x\"'y'z\n\toption f x#y\n\toption g 'x#y'\n",
     {"h": ("ddns_min", {"a": "it's", "b": "a b", "c": "back\\slash", "d": "q\\z", "e": "xyz",
                         "f": "x", "g": "x#y"})}),
    # quoted values span lines; a backslash at the end of a line joins the next
    ("config ddns_min h\n\toption a 'multi\nline'\n\toption b \"x\\\ny\"\n\toption c x\\\ny\n",
     {"h": ("ddns_min", {"a": "multi\nline", "b": "xy", "c": "xy"})}),
    # option then list: a list of both; list then option: the option; `option x ''` is skipped
    ("config ddns_min h\n\toption a x\n\tlist a y\n\tlist b p\n\toption b q\n\toption a ''\n"
     "\toption c ''\n\tlist d ''\n",
     {"h": ("ddns_min", {"a": ["x", "y"], "b": "q", "d": [""]})}),
    # anonymous sections: cfg + position among all sections + hash of the type; a named section
    # given twice is one section (and counts once)
    ("config t 'a'\nconfig ddns_min\n\toption x 1\nconfig t 'a'\n\toption y 2\nconfig ddns_min\n",
     {"a": ("t", {"y": "2"}), "cfg029a11": ("ddns_min", {"x": "1"}),
      "cfg039a11": ("ddns_min", {})}),
    # the firewall's first section: the name `uci -X show firewall` prints (`uci show`: @defaults[0])
    ("config defaults\n\toption syn_flood 1\n", {"cfg01e63d": ("defaults", {"syn_flood": "1"})}),
    # one-letter commands, CRLF line ends, package lines
    ("package ddns_min\r\nc ddns_min h\r\n\to a x\r\n\tl b y\r\n",
     {"h": ("ddns_min", {"a": "x", "b": ["y"]})}),
    # libuci's `;`: after a quoted word it starts a command, after a bare word it ends the line
    ("config ddns_min h\n\toption a 'b';option c d\n\toption e f; option g h\n",
     {"h": ("ddns_min", {"a": "b", "c": "d", "e": "f"})}),
]


def shape(sections):
    return dict((s["name"], (s["type"], s["options"])) for s in sections)


@pytest.mark.parametrize("text, expected", CASES)
def test_parse_as_libuci_does(text, expected):
    assert shape(uci.parse(text)) == expected


def test_parse_sections_options_lists_and_addresses():
    sections = uci.parse(FILE)
    assert [(s["type"], s["name"], s["anonymous"]) for s in sections] == \
        [("ddns_min", "home", False), ("ddns_min", "cfg029a11", True)]
    home = sections[0]["options"]
    assert home["token"] == 'tok"en s3cr3t'
    assert home["ipv4"] == ["home.example.com", "www.example.com"]
    assert home["ttl"] == "300" and home["interface"] == "wan"
    assert uci.find(sections, "@ddns_min[1]") is sections[1]
    assert uci.find(sections, "@ddns_min[-1]") is sections[1]
    assert uci.find(sections, "cfg029a11") is sections[1]
    assert uci.find(sections, "@ddns_min[5]") is None
    assert uci.find(sections, "@other[0]") is None


ERRORS = [
    ("config ddns_min x\n\toption token 'open\n\n", ["line 2", "never closed"]),
    ("config ddns_min x\n\toption token \"open\n", ["line 2", "never closed"]),
    ("option dns cloudflare\n", ["line 1", "before the first config"]),
    ("config ddns_min x\n\toption\n", ["line 2", "option NAME VALUE"]),
    ("config ddns_min x\n\toption 'a b' x\n", ["line 2", "option NAME VALUE"]),
    ("config ddns_min x\n\n\toption token abc s3cr3t\n", ["line 3", '"token"', '"x"', "quote"]),
    ("config ddns_min x\n\ts3cr3t\n", ["line 2", "unknown command"]),
    ("config ddns_min x\nconfig other x\n", ["line 2", '"x"', "line 1"]),
    ("config ddns_min x-y\n", ["line 1", "x-y"]),
    ("config 'dd ns' x\n", ["line 1", "type"]),
    ("config ddns_min x\n\toption a 'b\x01'\n", ["line 2", "control character"]),
]


@pytest.mark.parametrize("text, words", ERRORS)
def test_syntax_errors_name_file_and_line_never_a_value(text, words):
    with pytest.raises(ConfigError) as info:
        uci.parse(text, "/etc/config/ddns_min")
    message = str(info.value)
    assert message.startswith("config: /etc/config/ddns_min line ")
    for word in words:
        assert word in message
    assert "s3cr3t" not in message


def test_section_becomes_validated_config(tmpdir):
    path = tmpdir.join("ddns_min")
    path.write(FILE)
    conf = config.load({"config": str(path), "section": "home"})
    assert conf["dns"] == "cloudflare" and conf["token"] == 'tok"en s3cr3t'
    assert conf["names"][4] == ["home.example.com", "www.example.com"] and conf["ttl"] == 300
    conf = config.load({"config": str(path), "section": "cfg029a11", "index6": ["2a02:ec0::1"]})
    assert (conf["dns"], conf["id"], conf["names"][6]) == ("dnspod", "123", ["v6.example.com"])
    assert conf["rules"][6] == ["2a02:ec0::1"]
    assert config.load({"config": str(path), "section": "@ddns_min[1]"})["id"] == "123"


def test_script_options_stay_out_and_each_section_has_its_state_file(tmpdir, monkeypatch):
    monkeypatch.delenv("DDNS_MIN_RUNDIR", raising=False)
    path = tmpdir.join("ddns_min")
    path.write("config ddns_min 'home'\n\toption enabled 1\n\tlist interface wan\n"
               "\tlist interface wan6\n\toption interval 600\n\toption dns cloudflare\n"
               "\toption token t\n\tlist ipv4 a.example.com\n"
               "config ddns_min 'work'\n\toption cache /tmp/work.json\n")
    assert uci.load_section(str(path), "home") == {
        "dns": "cloudflare", "token": "t", "ipv4": ["a.example.com"],
        "cache": "/var/run/ddns_min/home.json"}
    assert uci.load_section(str(path), "work") == {"cache": "/tmp/work.json"}
    assert config.load({"config": str(path), "section": "home"})["interval"] == 0


def test_unknown_section_option_and_bad_interval(tmpdir):
    path = tmpdir.join("ddns_min")
    path.write(FILE)
    with pytest.raises(ConfigError) as info:
        config.load({"config": str(path), "section": "office"})
    assert '"office"' in str(info.value) and "home, cfg029a11" in str(info.value)
    with pytest.raises(ConfigError) as info:
        config.load({"config": str(path)})
    assert "--section" in str(info.value) and "home, cfg029a11" in str(info.value)
    path.write("config ddns_min x\n\toption dns cloudflare\n\n\toption tokn abc\n")
    with pytest.raises(ConfigError) as info:
        config.load({"config": str(path), "section": "x"})
    message = str(info.value)
    assert '"tokn"' in message and "line 4" in message and '"x"' in message
    assert "abc" not in message
    path.write("config ddns_min x\n\toption dns cloudflare\n\toption interval 5\n")
    with pytest.raises(ConfigError) as info:
        uci.load_section(str(path), "x")
    assert '"interval"' in str(info.value) and "line 3" in str(info.value)
    # one ddns_min section: --section may be left out
    path.write("config other o\nconfig ddns_min x\n\toption dns cloudflare\n")
    assert uci.load_section(str(path), None)["dns"] == "cloudflare"
    with pytest.raises(ConfigError) as info:
        uci.load_section(str(tmpdir.join("missing")), "x")
    assert "missing" in str(info.value)


def test_enabled_sections(tmpdir):
    path = tmpdir.join("ddns_min")
    path.write("config ddns_min a\n\toption enabled 1\nconfig ddns_min b\n"
               "config ddns_min c\n\toption enabled on\nconfig other d\n\toption enabled 1\n"
               "config ddns_min\n\toption enabled yes\n")
    assert uci.enabled_sections(str(path)) == ["a", "c", "cfg059a11"]


@pytest.mark.micropython
def test_micropython_reads_the_same(tmpdir):
    """The parser runs under MicroPython (which has no str.isalnum, no re named groups)."""
    exe = require_micropython()
    text = FILE + "".join(text for text, _ in CASES)
    path = tmpdir.join("ddns_min")
    path.write(text)
    script = ("import json\nfrom ddns_min import uci\n"
              "print(json.dumps([[s['type'], s['name'], s['options']] for s in "
              "uci.parse(open(%r).read())]))" % str(path))
    env = dict(os.environ, MICROPYPATH=ROOT + ":.frozen")
    out = subprocess.check_output([exe, "-c", script], env=env)
    expected = [[s["type"], s["name"], s["options"]] for s in uci.parse(text)]
    assert json.loads(out.decode("utf-8")) == json.loads(json.dumps(expected))


def test_same_as_libuci(tmpdir):
    """With a real `uci` (UCI_BIN or on PATH): every case above reads the same there."""
    exe = os.environ.get("UCI_BIN") or find_program("uci")
    if exe is None:
        pytest.skip("no uci binary (build openwrt/uci and set UCI_BIN to check against it)")
    confdir = tmpdir.join("conf").ensure(dir=True)
    for text, expected in CASES:
        confdir.join("ddns_min").write(text)
        out = subprocess.check_output([exe, "-c", str(confdir), "-p", str(tmpdir.join("save")),
                                       "-X", "show", "ddns_min"]).decode("utf-8")
        ours = []
        for name, (kind, options) in expected.items():
            ours.append("ddns_min.%s=%s" % (name, kind))
            for key, value in options.items():
                values = value if isinstance(value, list) else [value]
                ours.append("ddns_min.%s.%s=%s" % (name, key, " ".join(
                    "'" + v.replace("'", "'\\''") + "'" for v in values)))
        shown = ("\n" + out.strip()).split("\nddns_min.")[1:]  # values may hold newlines
        assert sorted(shown) == sorted(line[len("ddns_min."):] for line in ours), text
