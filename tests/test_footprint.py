"""What a run with nothing to do loads: none of the modules that make a run slow and big.

The benchmark (tests/benchmark.py) measures the time and memory; this checks the cause, on every
CPython of the matrix: with the address from a local rule and the state warm, the client must not
import ssl, urllib, socket (`_socket` is enough for the `default` rule), hashlib (OpenSSL), json
or re (with enum), whichever way it is started.
"""
import os
import re
import subprocess
import sys

import pytest

from clirun import ROOT, clean_env, run

HEAVY = ("re", "json", "ssl", "_ssl", "socket", "hashlib", "_hashlib", "urllib",
         "urllib2", "http", "httplib", "email", "logging", "subprocess", "enum")
LAUNCHER = os.path.join(ROOT, "bin", "ddns-min")


def imported(argv, home, env=None):
    """Modules a process imports on top of a bare interpreter start (python -v lists them); for
    `-m`, on top of what runpy loads to run a module that imports nothing."""
    env = clean_env(home, dict(env or {}, PYTHONPATH=ROOT))
    names = []
    home.join("footprint_noop.py").write("")
    bare = ["-m", "footprint_noop"] if argv[0] == "-m" else ["-c", "pass"]
    for args in ([sys.executable, "-v"] + bare, [sys.executable, "-v"] + argv):
        proc = subprocess.Popen(args, cwd=str(home), env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        out, err = proc.communicate()
        assert proc.returncode == 0, err.decode()[-2000:]
        names.append(set(re.findall(r"^import '?([\w.]+)'?", err.decode(), re.M)))
    return names[1] - names[0]


def config(cloudflare, home):
    path = home.join("config.json")
    path.write('{"dns": "cloudflare", "token": "footprint-token", // a comment\n'
               ' "endpoint": "%s", "ipv4": ["home.example.com"], "index4": "81.2.69.10"}'
               % cloudflare.url)
    path.chmod(0o600)
    return str(path)


@pytest.mark.parametrize("how", ["launcher", "module", "json", "argv", "default"])
def test_an_unchanged_run_loads_no_heavy_module(cloudflare, tmpdir, how):
    cloudflare.tokens["footprint-token"] = None
    cloudflare.add_zone("example.com")
    cloudflare.add_record("example.com", "home.example.com", "A", "81.2.69.10")
    path = config(cloudflare, tmpdir)
    assert run(["-c", path], tmpdir).code == 0  # warms the state
    if how == "default":
        ip = run(["-c", path, "--index4", "default", "--dry-run"], tmpdir)
        if ip.code != 0:
            pytest.skip("this machine has no IPv4 default route")
        assert run(["-c", path, "--index4", "default"], tmpdir).code == 0
    sent = len(cloudflare.requests)
    args = {"launcher": [LAUNCHER, "-c", path], "module": ["-m", "ddns_min", "-c", path],
            "json": [LAUNCHER, "-c", path, "--json"],
            "default": [LAUNCHER, "-c", path, "--index4", "default"],
            # no file: everything on the command line, the token from the environment
            "argv": [LAUNCHER, "--dns", "cloudflare", "--endpoint", cloudflare.url,
                     "--ipv4", "home.example.com", "--index4", "81.2.69.10"]}[how]
    names = imported(args, tmpdir, {"DDNS_TOKEN": "footprint-token"})
    assert len(cloudflare.requests) == sent  # the state said "done": nothing was sent
    heavy = sorted(n for n in names if n.split(".")[0] in HEAVY)
    assert heavy == [], "an unchanged run imported %s" % heavy


def test_the_probe_sees_heavy_imports(cloudflare, tmpdir):
    """The check above can fail: a run that must talk to the provider loads socket (and ssl)."""
    cloudflare.tokens["footprint-token"] = None
    cloudflare.add_zone("example.com")
    cloudflare.add_record("example.com", "home.example.com", "A", "81.2.69.1")
    names = imported([LAUNCHER, "-c", config(cloudflare, tmpdir)], tmpdir)
    assert "json" not in names or "re" in names
    assert "socket" in names and "select" in names


def test_pip_installs_the_plain_launcher():
    """setup.cfg installs bin/ddns-min as the command, not a console_scripts wrapper (which
    imports re before our code runs)."""
    text = open(os.path.join(ROOT, "setup.cfg")).read()
    assert re.search(r"^scripts\s*=\s*bin/ddns-min\s*$", text, re.M)
    assert "[options.entry_points]" not in text
    first = open(LAUNCHER).readline()
    assert first.startswith("#!") and "python" in first  # pip rewrites it to its interpreter
    assert os.access(LAUNCHER, os.X_OK)
