"""ddns_min's own code on OpenWrt's MicroPython versions: 1.23.0 (OpenWrt 24.10) and a 1.20 build
(23.05), as MicroPython's WebAssembly port from npm running under Node. CI's `micropython` is
1.28; these two have the bugs OpenWrt users meet (super() in a classmethod, next(it, default), ...).

The port has no sockets, so everything short of the network runs: importing every module,
validating a config per provider, UCI and JSON config files (and the `ddns` package's configs from
../shared/reference/peer-configs when present), the state file and its lock, compat's helpers and
the CLI (--version, --help, argument parsing, a --dry-run with a literal address). One Node process
per version runs tests/wasm_checks.py; the same script on this CPython is the oracle each result is
compared with.

The npm packages are installed once into ${XDG_CACHE_HOME:-~/.cache}/ddns_min-tests/wasm-VERSION.
Without node/npm or the registry the tests are skipped locally and fail in CI (CI=true).
"""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from interpreters import find_program

pytestmark = pytest.mark.micropython

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PACKAGE = "@micropython/micropython-webassembly-pyscript"
# (npm version, test id, heap in MiB or None for the port's default). 1.20.0-239 is the build of
# that package nearest to the 1.20.0 release OpenWrt 23.05 ships (v1.20.0 plus 239 commits: the
# package starts there). Its garbage collector cannot run under Node (it needs emscripten's
# asyncify), so it gets a 12 MiB heap, which the whole run fits in without a collection (16 is
# more than its fixed wasm memory holds).
VERSIONS = [("1.23.0", "1.23", None), ("1.20.0-239", "1.20", 12)]
PEER_CONFIGS = os.path.join(ROOT, "..", "shared", "reference", "peer-configs")
CHECKS = os.path.join(HERE, "wasm_checks.py")
RUNNER = os.path.join(HERE, "wasm_run.mjs")


def unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (in CI that is a failure, not a skip)")
    pytest.skip(reason)


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ddns_min-tests")


def installed(folder, version):
    pkg = os.path.join(folder, "node_modules", *PACKAGE.split("/"))
    try:
        with open(os.path.join(pkg, "package.json")) as f:
            ok = json.load(f).get("version") == version
    except (OSError, IOError, ValueError):
        return None
    return pkg if ok and os.path.isfile(os.path.join(pkg, "micropython.wasm")) else None


def install(version):
    """-> the installed package's folder (npm install once, then reused)."""
    folder = os.path.join(cache_dir(), "wasm-" + version)
    pkg = installed(folder, version)
    if pkg:
        return pkg
    npm = find_program("npm")
    if npm is None:
        unavailable("npm is not installed (needed for MicroPython's WebAssembly port)")
    # Into a fresh folder, then renamed into place: an interrupted install is never reused.
    tmp = "%s.tmp%d" % (folder, os.getpid())
    shutil.rmtree(tmp, ignore_errors=True)
    # Few, short retries: without a registry this gives up in seconds, not minutes.
    cmd = [npm, "install", "--prefix", tmp, "--no-audit", "--no-fund", "--no-save",
           "--loglevel=error", "--fetch-retries=1", "--fetch-retry-mintimeout=1000",
           "--fetch-retry-maxtimeout=3000", "%s@%s" % (PACKAGE, version)]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = proc.communicate()
    except OSError as exc:
        unavailable("cannot run npm: %s" % exc)
    if proc.returncode != 0 or not installed(tmp, version):
        shutil.rmtree(tmp, ignore_errors=True)
        unavailable("npm install %s@%s failed (no registry?): %s"
                    % (PACKAGE, version, (out + err).decode("utf-8", "replace").strip()[-600:]))
    if os.path.isdir(folder):
        shutil.rmtree(folder, ignore_errors=True)  # a broken earlier copy
    try:
        os.rename(tmp, folder)
    except OSError:  # another run installed it meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
    return installed(folder, version) or unavailable("npm installed no usable " + PACKAGE)


def stage(folder):
    """What the checks read, as they find it on a router: ddns_min/ (the .py files, from the file
    tree) and data/ (the shipped UCI config, the peer configs)."""
    for dirpath, dirnames, files in os.walk(os.path.join(ROOT, "ddns_min")):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        target = os.path.join(folder, os.path.relpath(dirpath, ROOT))
        os.makedirs(target)
        for name in files:
            if name.endswith(".py"):
                shutil.copy(os.path.join(dirpath, name), target)
    os.makedirs(os.path.join(folder, "data"))
    shutil.copy(os.path.join(ROOT, "openwrt", "files", "ddns_min.config"),
                os.path.join(folder, "data"))
    if os.path.isdir(PEER_CONFIGS):
        shutil.copytree(PEER_CONFIGS, os.path.join(folder, "data", "peer-configs"))
    return folder


def parse(text):
    """Tagged lines ("1" stdout, "2" stderr) -> {check: {"value" or "crash", "out", "err"}}."""
    checks, current, fatal = {}, None, []
    for line in text.splitlines():
        tag, line = line[:1], line[1:]
        if tag == "1" and line.startswith("@@begin "):
            current = {"out": [], "err": []}
            checks[line[8:]] = current
        elif tag == "1" and line.startswith("@@end "):
            current.update(json.loads(line[6:]))
            current = None
        elif line.startswith("@@fatal "):
            fatal.append(line[8:])
        elif current is not None and (line or tag == "2"):
            current["out" if tag == "1" else "err"].append(line)
    return checks, fatal


def run_checks(cmd, folder, name):
    # The environment the checks see on MicroPython (wasm_checks.ENV): nothing else may differ.
    env = {"PATH": os.environ.get("PATH", ""), "HOME": "/home/user"}
    try:
        proc = subprocess.Popen(cmd, cwd=folder, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        out, err = proc.communicate()
    except OSError as exc:
        unavailable("cannot run %s: %s" % (cmd[0], exc))
    checks, fatal = parse(out.decode("utf-8", "replace"))
    if fatal or proc.returncode != 0:
        pytest.fail("%s: the checks script stopped (exit %s):\n%s\n%s" % (
            name, proc.returncode, "\n".join(fatal), err.decode("utf-8", "replace")[-2000:]))
    return checks


@pytest.fixture(scope="module")
def cpython(tmpdir_factory):
    folder = stage(str(tmpdir_factory.mktemp("wasm-cpython").join("w")))
    return run_checks([sys.executable, CHECKS], folder, "CPython")


@pytest.fixture(scope="module", params=VERSIONS, ids=[v[1] for v in VERSIONS])
def wasm(request, tmpdir_factory):
    version, _, heap = request.param
    pkg = install(version)
    node = find_program("node")
    if node is None:
        unavailable("node is not installed (needed for MicroPython's WebAssembly port)")
    folder = stage(str(tmpdir_factory.mktemp("wasm-" + version).join("w")))
    cmd = [node, RUNNER, pkg, folder, CHECKS] + ([str(heap)] if heap else [])
    checks = run_checks(cmd, folder, "MicroPython " + version)
    checks["version"] = version
    return checks


def value(checks, name):
    """A check's result, or a failure showing the MicroPython error that ended the check."""
    found = checks.get(name)
    where = "MicroPython %s" % checks.get("version", "?") if "version" in checks else "CPython"
    assert found is not None and ("value" in found or "crash" in found), \
        "%s: check %s did not run" % (where, name)
    if "crash" in found:
        crash = found["crash"]
        pytest.fail("%s: check %s raised %s: %s\n%s\nits output:\n%s" % (
            where, name, crash["error"], crash["message"], crash["traceback"],
            "\n".join(found["out"] + found["err"])))
    return found["value"]


def is_outcome(node):
    return isinstance(node, dict) and ("ok" in node or "error" in node) and \
        set(node) <= set(["ok", "error", "message", "traceback"])


def bad_errors(node, where=""):
    """Every outcome below node that is an exception other than ConfigError, as text."""
    if is_outcome(node):
        if "error" in node and node["error"] != "ConfigError":
            return ["%s: %s: %s\n%s" % (where, node["error"], node["message"],
                                        node.get("traceback", ""))]
        return []
    if isinstance(node, dict):
        return [e for k in sorted(node) for e in bad_errors(node[k], "%s/%s" % (where, k))]
    if isinstance(node, list):
        return [e for i, v in enumerate(node) for e in bad_errors(v, "%s[%d]" % (where, i))]
    return []


# The part of a ConfigError message that quotes the runtime's own error (json's, the OS's): it is
# worded differently on each runtime.
RUNTIME_TEXT = re.compile(r'(is not valid JSON|cannot read config file "[^"]*"): .*')


def comparable(node):
    node = dict((k, v) for k, v in node.items() if k != "traceback")
    if "message" in node:
        node["message"] = RUNTIME_TEXT.sub(r"\1: ...", node["message"])
    return node


def differences(got, want, where=""):
    """Where MicroPython's result differs from CPython's (tracebacks and the runtime's own error
    texts aside)."""
    if is_outcome(got) and is_outcome(want):
        got, want = comparable(got), comparable(want)
    if isinstance(got, dict) and isinstance(want, dict):
        out = []
        for key in sorted(set(got) | set(want)):
            if key not in got or key not in want:
                out.append("%s/%s: only on %s" % (where, key,
                                                 "MicroPython" if key in got else "CPython"))
            else:
                out.extend(differences(got[key], want[key], "%s/%s" % (where, key)))
        return out
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        return [d for i in range(len(got)) for d in differences(got[i], want[i],
                                                                 "%s[%d]" % (where, i))]
    if got != want and not _same_json_object(got, want):
        return ["%s: MicroPython %r, CPython %r" % (where, got, want)]
    return []


def _same_json_object(got, want):
    """A JSON object in a string (a callback's token) has no key order on MicroPython."""
    try:
        return isinstance(got, str) and got.startswith("{") and json.loads(got) == json.loads(want)
    except (ValueError, TypeError):
        return False


def check_same(wasm, cpython, name):
    """No exception but ConfigError, and the same results as CPython."""
    got, want = value(wasm, name), value(cpython, name)
    errors = bad_errors(got)
    assert not errors, "MicroPython %s, %s: exceptions other than ConfigError:\n%s" % (
        wasm["version"], name, "\n".join(errors))
    assert not bad_errors(want), bad_errors(want)
    diff = differences(got, want)
    assert not diff, "MicroPython %s, %s: results differ from CPython's:\n%s" % (
        wasm["version"], name, "\n".join(diff))
    return got


def test_imports(wasm, cpython):
    got = check_same(wasm, cpython, "imports")
    assert "ddns_min.cli" in got and "ddns_min.providers.dnspod" in got, sorted(got)
    expected = set()
    for dirpath, _, files in os.walk(os.path.join(ROOT, "ddns_min")):
        for name in files:
            if name.endswith(".py") and name != "__main__.py":
                mod = os.path.relpath(os.path.join(dirpath, name[:-3]), ROOT).replace(os.sep, ".")
                expected.add(mod[:-len(".__init__")] if mod.endswith(".__init__") else mod)
    assert set(got) == expected


# Providers whose signature needs MD5: a MicroPython build without hashlib.md5 (this WebAssembly
# one, for one) refuses their configs with a ConfigError naming md5, before any request.
MD5_SIGNED = ("dnscom", "51dns")


def test_every_provider_validates(wasm, cpython):
    got, want = dict(value(wasm, "providers")), dict(value(cpython, "providers"))
    for label in MD5_SIGNED:
        if "md5" in got.get(label, {}).get("message", ""):
            assert got.pop(label)["error"] == "ConfigError"
            want.pop(label, None)
    got = check_same({"version": wasm["version"], "providers": {"value": got}},
                     {"providers": {"value": want}}, "providers")
    ok = [label for label in got if "ok" in got[label]]
    assert "cloudflare" in ok and "dnspod" in ok, got


def test_bad_configs_are_config_errors(wasm, cpython):
    got = check_same(wasm, cpython, "bad_configs")
    assert got[4]["ok"]["id"] == "12345", got[4]  # "ID,TOKEN" in token: ddns-scripts' style
    del got[4]
    assert got and all(o.get("error") == "ConfigError" for o in got), got


def test_uci_shipped_config(wasm, cpython):
    got = check_same(wasm, cpython, "uci_shipped")
    assert got["home"]["ok"]["dns"] == "cloudflare", got


def test_uci_crafted_configs(wasm, cpython):
    got = check_same(wasm, cpython, "uci_crafted")
    first = got["unnamed.config"]["@ddns_min[0]"]["ok"]
    assert first["dns"] == "dnspod" and first["ipv4"] == ["a.example.com", "b.example.com"], got
    assert got["broken.config"]["parse"]["error"] == "ConfigError", got


def test_json_config_files(wasm, cpython):
    got = check_same(wasm, cpython, "json_files")
    assert "ok" in got["plain.json"]["load_all"] and got["invalid.json"]["load_file"].get(
        "error") == "ConfigError", got


def test_peer_configs(wasm, cpython):
    if not os.path.isdir(PEER_CONFIGS):
        pytest.skip("../shared/reference/peer-configs not found beside this repository")
    got = check_same(wasm, cpython, "peer_configs")
    assert len(got) >= len([n for n in os.listdir(PEER_CONFIGS) if ".json" in n]), got


def test_state_file(wasm, cpython):
    got = dict((step[0], step[1:]) for step in check_same(wasm, cpython, "state"))
    assert got["fresh"] == [True, False, False, False, False], got
    assert got["secret in file"] == [False] and got["reloaded"] == [True, True], got
    assert got["leftover removed"] == [["state.json"]], got


def test_lock(wasm, cpython):
    got = dict((step[0], step[1:]) for step in check_same(wasm, cpython, "lock"))
    assert "second refused" in got and got["second after release"] == [True], got


def test_compat_helpers(wasm, cpython):
    got = check_same(wasm, cpython, "compat_checks")
    assert got["round trips"] == [True] * len(got["round trips"]), got
    assert got["sha256"][:2] == [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"], got["sha256"]
    assert got["hexlify"] == ["", "0001feff", "415a"], got


def test_cli_parse_args(wasm, cpython):
    got = check_same(wasm, cpython, "cli_parse_args")
    assert got[0]["ok"]["ipv4"] == ["a.example.com", "b.example.com", "c.example.com"], got


def cli_output(checks, name):
    """(outcome(s), stdout lines, stderr lines) of a CLI check; JSON lines without their time."""
    result = value(checks, name)
    out = []
    for line in checks[name]["out"]:
        try:
            data = json.loads(line)
        except ValueError:
            out.append(line)
            continue
        if isinstance(data, dict):
            data.pop("time", None)
        out.append(data)
    return result, out, checks[name]["err"]


@pytest.mark.parametrize("name", ["cli_version", "cli_help", "cli_dry_run", "main_module"])
def test_cli(wasm, cpython, name):
    got, want = cli_output(wasm, name), cli_output(cpython, name)
    errors = bad_errors(got[0])
    assert not errors, "MicroPython %s, %s: exceptions other than ConfigError:\n%s" % (
        wasm["version"], name, "\n".join(errors))
    assert got == want, "MicroPython %s, %s differs from CPython:\n%s\nstdout: %s\nstderr: %s" % (
        wasm["version"], name, "\n".join(differences(list(got), list(want))), got[1], got[2])
    if name in ("cli_version", "main_module"):
        from ddns_min import __version__
        assert "ddns_min " + __version__ in got[1], got
    if name == "cli_dry_run":
        planned = got[1][1]["records"][0]
        assert planned["action"] == "planned" and planned["ip"] == "81.2.69.142", got
        assert [o.get("ok") for o in got[0]] == [0, 0, 2, 2], got
