"""UCI files, read without the `uci` binary, and a UCI section as the client's settings."""
import pytest

from ddns_min import config, uci
from ddns_min.errors import ConfigError

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


def test_parse_sections_options_lists_and_quoting():
    sections = uci.parse(FILE)
    assert [(s["type"], s["name"]) for s in sections] == [("ddns_min", "home"), ("ddns_min", None)]
    home = sections[0]["options"]
    assert home["token"] == 'tok"en s3cr3t'
    assert home["ipv4"] == ["home.example.com", "www.example.com"]
    assert home["ttl"] == "300" and home["interface"] == "wan"
    assert uci.find(sections, "@ddns_min[1]") is sections[1]
    assert uci.find(sections, "@ddns_min[-1]") is sections[1]
    assert uci.find(sections, "@ddns_min[5]") is None


def test_section_becomes_validated_config(tmpdir):
    path = tmpdir.join("ddns_min")
    path.write(FILE)
    conf = config.load({"config": str(path), "section": "home"})
    assert conf["dns"] == "cloudflare" and conf["token"] == 'tok"en s3cr3t'
    assert conf["names"][4] == ["home.example.com", "www.example.com"] and conf["ttl"] == 300
    conf = config.load({"config": str(path), "section": "@ddns_min[1]", "index6": ["2a02:ec0::1"]})
    assert (conf["dns"], conf["id"], conf["names"][6]) == ("dnspod", "123", ["v6.example.com"])
    assert conf["rules"][6] == ["2a02:ec0::1"]


@pytest.mark.parametrize("text, words", [
    ("config ddns_min x\n\toption token 'open", ["line 2", "quote"]),
    ("option dns cloudflare\n", ["line 1", "before any config"]),
    ("config ddns_min x\n\toption dns\n", ["line 2", "option NAME VALUE"]),
    ("config ddns_min x\n\tsetting dns x\n", ["line 2", "setting"]),
    ("config ddns_min x\n\toption ipv4 a\n\tlist ipv4 b\n", ["line 3", "both"]),
])
def test_syntax_errors_name_the_line(text, words):
    with pytest.raises(ConfigError) as info:
        uci.parse(text, "/etc/config/ddns_min")
    for word in words:
        assert word in str(info.value)


def test_unknown_section_and_option(tmpdir):
    path = tmpdir.join("ddns_min")
    path.write(FILE)
    with pytest.raises(ConfigError) as info:
        config.load({"config": str(path), "section": "office"})
    assert '"office"' in str(info.value) and "home" in str(info.value)
    with pytest.raises(ConfigError) as info:
        config.load({"config": str(path)})
    assert "--section" in str(info.value)
    path.write("config ddns_min x\n\toption dns cloudflare\n\toption tokn abc\n")
    with pytest.raises(ConfigError) as info:
        config.load({"config": str(path), "section": "x"})
    assert '"tokn"' in str(info.value) and "abc" not in str(info.value)
