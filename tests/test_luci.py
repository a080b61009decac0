"""luci-app-ddns-min without a router: its views parse and run under node (with stand-ins for the
LuCI classes they require), their checks agree with the client's own, the token is dropped from
what the page keeps, the ACL grants exactly the calls the views make, the package stages with the
SDK stand-in, and the commands the status page runs work against a root staged by install.sh and
the Cloudflare emulator. (The pages in a real browser against an emulated rpcd: see the README's
LuCI section; that is run by hand.)"""
import fnmatch
import io
import json
import os
import re
import stat
import subprocess
import sys

import pytest

from clirun import ROOT
from interpreters import need

pytestmark = pytest.mark.openwrt

APP = os.path.join(ROOT, "openwrt", "luci-app-ddns-min")
STUB = os.path.join(ROOT, "tests", "openwrt_stub")
VIEWS = os.path.join(APP, "htdocs", "luci-static", "resources", "view", "ddns_min")
ACL_FILE = os.path.join(APP, "root", "usr", "share", "rpcd", "acl.d", "luci-app-ddns-min.json")
MENU_FILE = os.path.join(APP, "root", "usr", "share", "luci", "menu.d", "luci-app-ddns-min.json")
SECRET = "luci-token-s3cr3t"
SECTION = "home"  # stands for the section name a view passes


def read(path):
    with io.open(path, encoding="utf-8") as f:
        return f.read()


def view_files():
    return sorted(os.path.join(VIEWS, name) for name in os.listdir(VIEWS) if name.endswith(".js"))


# A LuCI view is the body of a function LuCI calls with the classes it requires; these stand-ins
# are just enough to run its top level and the functions it exposes.
HARNESS = r"""
var fs = require('fs');
var src = fs.readFileSync(process.argv[1], 'utf8');
var input = JSON.parse(fs.readFileSync(0, 'utf8'));
String.prototype.format = function() {
	var args = arguments, i = 0;
	return this.replace(/%[sdh]/g, function() { return String(args[i++]); });
};
var listeners = {};
global._ = function(s) { return s; };
global.document = { addEventListener: function(name, fn) {
	(listeners[name] = listeners[name] || []).push(fn);
} };
global.L = { toArray: function(v) { return v == null ? [] : [].concat(v); },
	bind: function(f, o) { return f.bind(o); } };
var uci = { state: { values: {} } };
var requires = (src.match(/^'require [\w.]+';$/mg) || [])
	.map(function(l) { return l.slice(9, -2); });
var stubs = requires.map(function(name) {
	return name == 'uci' ? uci : name == 'view' ? { extend: function(o) { return o; } } : {};
});
var mod = new Function(requires.join(','), src).apply(null, stubs);
var out = { requires: requires };
if (input.values) {
	uci.state.values.ddns_min = input.values;
	(listeners['uci-loaded'] || []).forEach(function(fn) { fn(); });
	out.values = uci.state.values.ddns_min;
}
if (input.cases)
	out.results = input.cases.map(function(c) {
		var r = mod.checks[c[0]].apply(null, c.slice(1));
		return r == null ? null : String(r);
	});
if (mod.checks)
	out.providers = mod.checks.providers;
process.stdout.write(JSON.stringify(out));
"""


def run_view(path, data):
    node = need("node")
    proc = subprocess.Popen([node, "-e", HARNESS, path], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(json.dumps(data).encode())
    assert proc.returncode == 0, err.decode()
    return json.loads(out.decode("utf-8"))


@pytest.mark.parametrize("path", view_files(), ids=os.path.basename)
def test_view_parses_and_requires_only_luci_classes(path):
    subprocess.check_call([need("node"), "--check", path])
    src = read(path)
    assert src.startswith("'use strict';\n'require ")
    out = run_view(path, {})
    assert "view" in out["requires"]
    assert set(out["requires"]) <= {"view", "form", "uci", "fs", "ui", "poll", "dom"}


def test_json_files_are_valid_and_the_menu_points_at_the_views():
    acl = json.loads(read(ACL_FILE))
    menu = json.loads(read(MENU_FILE))
    assert list(acl) == ["luci-app-ddns-min"]
    views = set()
    for path, node in menu.items():
        assert path.startswith("admin/services/ddns_min")
        if node["action"]["type"] == "view":
            views.add(node["action"]["path"])
    assert menu["admin/services/ddns_min"]["depends"]["acl"] == ["luci-app-ddns-min"]
    assert sorted("ddns_min/" + os.path.basename(p)[:-3] for p in view_files()) == sorted(views)


def calls_in(src):
    """-> [(method, argv)] of the view's fs calls, constants resolved, variables as SECTION."""
    consts = dict(re.findall(r"^var ([A-Z_]+) = '([^']*)';$", src, re.M))
    calls = []
    for method, command, args in re.findall(
            r"fs\.(\w+)\(\s*([A-Z_]+|'[^']*')\s*,\s*\[([^\]]*)\]", src):
        argv = []
        for word in [command] + [a.strip() for a in args.split(",") if a.strip()]:
            if word.startswith("'"):
                argv.append(word[1:-1])
            else:
                argv.append(consts.get(word, SECTION))
        calls.append((method, argv))
    assert len(calls) == len(re.findall(r"\bfs\.\w+\(", src)), "an fs call this test cannot read"
    return calls


def test_acl_grants_exactly_the_calls_the_views_make():
    acl = json.loads(read(ACL_FILE))["luci-app-ddns-min"]
    assert set(acl) <= {"description", "read", "write"}
    granted = {}
    for level in ("read", "write"):
        assert set(acl.get(level, {})) <= {"file", "uci"}, "nothing but files and uci"
        for pattern, perms in acl.get(level, {}).get("file", {}).items():
            granted[pattern] = perms
        assert acl.get(level, {}).get("uci") == ["ddns_min"]
    calls, configs = [], set()
    for path in view_files():
        src = read(path)
        calls += calls_in(src)
        configs |= set(re.findall(r"\buci\.\w+\(\s*'(\w+)'", src))
        configs |= set(re.findall(r"form\.Map\(\s*'(\w+)'", src))
    assert configs == {"ddns_min"}
    used = set()
    for method, argv in calls:
        cmdline = " ".join(argv)
        hits = [p for p in granted if fnmatch.fnmatchcase(cmdline, p) and method in granted[p]]
        assert hits, "not granted: %s %s" % (method, cmdline)
        used.update(hits)
    assert used == set(granted), "granted but unused: %s" % (set(granted) - used)
    assert all(perms == ["exec"] for perms in granted.values())
    # where a view puts a section name, the pattern lets through nothing that starts otherwise
    # (another option, a path, nothing at all)
    for pattern in granted:
        assert pattern.count("[A-Za-z0-9_]*") == 1
        for bad in ("-c /tmp/evil", "--help", "../x", "", " home", "/etc/shadow"):
            assert not fnmatch.fnmatchcase(pattern.replace("[A-Za-z0-9_]*", bad), pattern), bad


def test_form_options_are_the_ones_uci_accepts():
    from ddns_min import config, uci
    src = read(os.path.join(VIEWS, "config.js"))
    names = re.findall(r"taboption\('\w+', form\.\w+, '(\w+)'", src)
    names += re.findall(r"listOption\(s, '\w+', '(\w+)'", src)
    assert len(names) == len(set(names))
    assert set(names) <= set(config.KEYS + uci.SCRIPT_OPTIONS)
    assert {"enabled", "dns", "id", "token", "ipv4", "ipv6", "index4", "index6", "interface",
            "ttl", "proxied", "interval"} <= set(names)
    assert re.search(r"form\.TypedSection, 'ddns_min'", src) and uci.SECTION_TYPE == "ddns_min"
    token = src[src.index("form.Value, 'token'"):]
    token = token[:token.index("\t\to = ")]
    assert "o.password = true;" in token and "return null;" in token  # never loaded into it


def test_provider_list_is_the_clients():
    from ddns_min.providers import NAMES
    assert run_view(os.path.join(VIEWS, "config.js"), {})["providers"] == list(NAMES)


@pytest.mark.parametrize("path", view_files(), ids=os.path.basename)
def test_views_drop_the_token_as_soon_as_uci_delivers_it(path):
    values = {"home": {".type": "ddns_min", ".name": "home", "token": SECRET, "dns": "cloudflare"},
              "office": {".type": "ddns_min", ".name": "office", "dns": "dnspod"}}
    out = run_view(path, {"values": values})
    assert SECRET not in json.dumps(out)
    assert out["values"]["home"]["dns"] == "cloudflare"


def client_says(check, *args):
    """None if the client takes the value, else its error."""
    from ddns_min import config, uci
    from ddns_min.errors import ConfigError
    raw = {"ipv4": ["a.example.com"]}
    try:
        if check == "domain":
            raw = {"ipv4": [args[0]]}
            if args[1]:
                raw["zone_id"] = "0123abcd"
        elif check == "host":
            raw = {"ipv6": [args[0]]}
            if args[1]:
                raw["zone_id"] = "0123abcd"
        elif check == "rule":
            name = "a.example.com=::1" if args[0].startswith("prefix:") and args[1] == 6 \
                else "a.example.com"  # a prefix: rule serves names with a host part
            raw = {"ipv%d" % args[1]: [name], "index%d" % args[1]: [args[0]]}
        elif check == "endpoint":
            raw["endpoint"] = args[0]
        elif check == "ttl":
            raw["ttl"] = args[0]
        elif check == "interval":  # the UCI file's check (the init script reads it)
            uci.section_config("config ddns_min 's'\n\toption interval '%s'\n" % args[0], "t", "s")
            return None
        config.validate(raw, dry_run=True)
    except ConfigError as exc:
        return str(exc)
    return None


DOMAINS = ["home.example.com", "*.example.com", "Home.Example.COM.", "under_score.example.com",
           "xn--bcher-kva.example", "a.b", "ab.c", "example", "ex ample.com", "-bad.example.com",
           "bad-.example.com", "a..example.com", "x.example.123", "1.2.3.4", "a*.example.com",
           u"b\u00fccher.example", "a" * 63 + ".example.com", "a" * 64 + ".example.com",
           ("a" * 60 + ".") * 4 + "com", ("a" * 62 + ".") * 4 + "com", "*", "*.com", "@"]
RELATIVE = ["@", "home", "home.example.com", "ho me", "-x"]
HOSTS = ["nas.example.com=::1234:5678", "nas.example.com=::a:b:c:d", "nas.example.com=::1/130",
         "nas.example.com=2a01::1", "srv.example.com=0:0:0:5::10/56", "srv.example.com=::5:0:0:0:1/64",
         "srv.example.com=0:0:0:100::1/55", "srv.example.com=0:0:0:100::1/56", "x.example.com=::1/127",
         "cam.example.com=mac:02:11:22:33:44:55", "cam.example.com=MAC:02-11-22-33-44-55",
         "cam.example.com=mac:0211.2233.4455", "cam.example.com=mac:03:11:22:33:44:55",
         "cam.example.com=mac:02:11:22:33:44", "cam.example.com=mac:02:11:22:33:44:55/72",
         "cam.example.com=mac:02:11:22:33:44:55/48", "bad..example.com=::1", "a.example.com=",
         "a.example.com=nas", "a.example.com=::ffff:1.2.3.4", "a.example.com=::1/0",
         "a.example.com=::1/abc"]
RULES4 = ["default", "public", "false", "None", "off", "0", "3", "url:https://api.ipify.org",
          "url:http://x", "url:ftp://x", "url:", "dns:1.1.1.1", "dns:1.1.1.1:53", "dns:h:x",
          "dns:[::1]:53", "dns:[::1]:x", "dns:2001:db8::1", "interface:wan", "interface:",
          "regex:^192\\.", "regex:(", "cmd:echo 1", "shell:echo 1", "81.2.69.142", "256.1.1.1",
          "2001:db8::1", "192.168.*", "(", "banana", "  public  ", "prefix:wan6"]
RULES6 = ["default", "2001:db8::1", "::1", "::", "fe80::1%eth0", "1:2:3:4:5:6:7:8",
          "1:2:3:4:5:6:7:8:9", "1::2::3", "::ffff:1.2.3.4", "81.2.69.142", "2001:db8::g",
          "prefix:wan6", "prefix:br-lan", "prefix:2a01:4f8::/56", "prefix:2a01:4f8::/129",
          "prefix:2a01:4f8::", "prefix:2a01::g/48", "prefix:", "prefix:2a01:4f8::/0"]
ENDPOINTS = ["https://api.cloudflare.com/client/v4", "https://x", "https://",
             "http://127.0.0.1:8080",
             "http://localhost/", "http://[::1]:80/x", "http://example.com", "ftp://x", "x",
             "http://127.0.0.1.evil.com", "https://user@host:443/p"]
TTLS = ["1", "300", "604800", "0", "604801", "abc", "1.5", "-5"]
INTERVALS = ["0", "30", "600", "29", "1", "abc", "-30", "1.5"]


def test_the_forms_checks_agree_with_the_client():
    cases = [["domain", d, False] for d in DOMAINS] + [["domain", d, True] for d in RELATIVE]
    cases += [["host", h, False] for h in HOSTS] + [["host", "nas=::1", True]]
    cases += [["rule", r, 4] for r in RULES4] + [["rule", r, 6] for r in RULES6]
    cases += [["endpoint", e] for e in ENDPOINTS] + [["ttl", t] for t in TTLS]
    cases += [["interval", i] for i in INTERVALS]
    results = run_view(os.path.join(VIEWS, "config.js"), {"cases": cases})["results"]
    wrong = []
    for case, js in zip(cases, results):
        py = client_says(*case)
        if (js is None) != (py is None):
            wrong.append("%r: form says %r, client says %r" % (case, js, py))
    assert not wrong, "\n".join(wrong)
    assert results.count(None) > len(cases) // 3 and results.count(None) < len(cases)


def tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            out[os.path.relpath(path, root)] = stat.S_IMODE(os.stat(path).st_mode)
    return out


def test_package_stages_with_the_sdk_stand_in(tmpdir):
    from ddns_min import __version__
    staging = str(tmpdir.join("stage"))
    subprocess.check_call([need("make"), "-s", "-C", APP, "TOPDIR=" + STUB, "STAGING=" + staging,
                           "stage-luci-app-ddns-min"])
    staged = os.path.join(staging, "luci-app-ddns-min")
    files = tree(staged)
    with open(os.path.join(staged, "CONTROL", "control")) as f:
        control = dict(line.split(": ", 1) for line in f.read().strip().split("\n"))
    del files["CONTROL/control"], files["CONTROL/conffiles"]
    expected = ["usr/share/luci/menu.d/luci-app-ddns-min.json",
                "usr/share/rpcd/acl.d/luci-app-ddns-min.json"]
    expected += ["www/luci-static/resources/view/ddns_min/" + os.path.basename(p)
                 for p in view_files()]
    assert sorted(files) == sorted(expected)
    assert set(files.values()) == {0o644}
    assert control["Version"] == "%s-1" % __version__
    assert control["Depends"].split() == ["+luci-base", "+ddns-min"]
    assert control["Architecture"] == "all" and control["Section"] == "luci"
    assert read(os.path.join(staged, expected[1])) == read(ACL_FILE)


# The commands the status page runs, on a root staged by install.sh (as test_openwrt's Router),
# the way rpcd runs them: argv as the view builds it, no shell.
UCI = """
config ddns_min 'home'
	option enabled '1'
	option dns 'cloudflare'
	option token '%(secret)s'
	list ipv4 'home.example.com'
	option index4 '81.2.69.142'
	option endpoint '%(endpoint)s'

config ddns_min 'broken'
	option dns 'cloudflare'
	list ipv4 'broken.example.com'
"""


def test_the_status_pages_commands_work_on_a_staged_root(tmpdir, cloudflare):
    need("busybox")
    cloudflare.tokens[SECRET] = None
    cloudflare.add_zone("example.com")
    root = str(tmpdir.join("root"))
    subprocess.check_call(["sh", os.path.join(ROOT, "openwrt", "install.sh"), root])
    with open(os.path.join(root, "etc", "config", "ddns_min"), "w") as f:
        f.write(UCI % {"secret": SECRET, "endpoint": cloudflare.url})
    for sub in ("lib/functions.sh", "lib/functions/network.sh"):
        tmpdir.join("root", sub).write(read(os.path.join(STUB, sub)), ensure=True)
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("DDNS_"))
    env.update(IPKG_INSTROOT=root, DDNS_MIN_LIB=root + "/usr/lib/ddns_min",
               DDNS_MIN_PYTHON=sys.executable, DDNS_MIN_RUNDIR=str(tmpdir.join("run")),
               STUB_PYTHON=sys.executable, STUB_REPO=ROOT, HOME=str(tmpdir))

    def run(argv, section):
        argv = [a if a != SECTION else section for a in argv]
        real = [root + argv[0]] + [root + a if a.startswith("/etc/config/") else a
                                   for a in argv[1:]]
        proc = subprocess.Popen(real, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        out, err = proc.communicate()
        return proc.returncode, out.decode(), err.decode()

    src = read(os.path.join(VIEWS, "status.js"))
    [status, update] = calls_in(src)
    assert update[1][0].endswith("/run") and status[1][0] == "/usr/bin/ddns-min"
    code, out, err = run(status[1], "home")
    assert code == 0 and json.loads(out)["records"] == [], (out, err)
    code, out, err = run(update[1], "home")
    assert code == 0 and "home.example.com A: created 81.2.69.142" in err, (out, err)
    code, out, err = run(status[1], "home")
    [record] = json.loads(out)["records"]
    # every field the page shows is one the client gives
    shown = set(re.findall(r"\br\.(\w+)", src))
    assert shown <= set(record) and {"domain", "ip", "verified", "changed", "error"} <= shown
    assert record["domain"] == "home.example.com" and record["ip"] == "81.2.69.142"
    assert SECRET not in out + err
    # a section the client refuses: the page shows the client's message
    code, out, err = run(status[1], "broken")
    assert code == 2 and '"token" is not set' in err and SECRET not in err


def test_translation_template_has_every_string():
    """po/templates/ddns_min.pot holds every _('...') of the views and every menu title (what
    LuCI's build/i18n-scan.pl would collect), and nothing else."""
    wanted = set()
    for path in view_files():
        for text in re.findall(r"_\('((?:[^'\\]|\\.)*)'\)", read(path)):
            wanted.add(re.sub(r"\\(.)", r"\1", text))
    wanted |= set(node["title"] for node in json.loads(read(MENU_FILE)).values())
    pot = read(os.path.join(APP, "po", "templates", "ddns_min.pot"))
    msgids = re.findall(r'^msgid "((?:[^"\\]|\\.)*)"$', pot, re.M)
    have = set(re.sub(r"\\(.)", r"\1", m) for m in msgids)
    have.discard("")
    assert sorted(wanted - have) == [] and sorted(have - wanted) == []
