"""Checks of ddns_min's own code short of the network, run by tests/test_wasm.py on MicroPython's
WebAssembly port (1.23.0 and a 1.20 build, under Node: tests/wasm_run.mjs) and on CPython, whose
results are the oracle.

Run with the working directory holding `ddns_min/` and `data/` (the files the checks read). Every
line it prints goes to stdout; each check is framed by "@@begin NAME" and "@@end JSON" lines, so
the test can tell which output belongs to which check. JSON is {"value": ...} or {"crash": ...}.
The checks are in the project's Python subset: they run on MicroPython 1.20 too.
"""
import os
import sys

MICROPYTHON = getattr(sys, "implementation", None) is not None and \
    sys.implementation.name == "micropython"
CHECKS = []
SECRET = "t0123456789abcdefghijklmnopqrstuvwxyz0123"


def port_stand_ins():
    """What OpenWrt's unix MicroPython has and the WebAssembly port lacks (it runs in a browser):
    os.getenv, time.time/gmtime on 1.20, gmtime of a float on 1.23, and a socket module (whose
    every use fails, as with no network). Nothing of ddns_min is replaced."""
    if not MICROPYTHON or "JS" not in getattr(sys.implementation, "_machine", "JS"):
        return
    if not hasattr(os, "getenv"):
        os.getenv = lambda name, default=None: ENV.get(name, default)
    for folder in ("/lib",):
        try:
            os.mkdir(folder)
        except OSError:
            pass
    if "/lib" not in sys.path:
        sys.path.append("/lib")
    import utime
    if hasattr(utime, "time"):  # 1.23: time.time() is a float here, but gmtime() takes an int
        import time             # (the unix port takes both; boards' time() gives an int)
        try:
            time.gmtime(0.5)
        except TypeError:
            whole = time.gmtime
            time.gmtime = lambda secs=None: whole(None if secs is None else int(secs))
    else:
        epoch = globals().get("EPOCH_FROM_HOST") or EPOCH
        write("/lib/time.py", TIME_STAND_IN.replace("@EPOCH@", str(epoch)).replace(
            "@T0@", str(utime.ticks_ms())))
    write("/lib/socket.py", SOCKET_STAND_IN)


ENV = {"HOME": "/home/user"}
EPOCH = 1796000000  # set by the runner to the host's clock (a time after ddns_min.RELEASED)
TIME_STAND_IN = '''from utime import *
_EPOCH, _T0 = @EPOCH@, @T0@


def time():
    return _EPOCH + ticks_diff(ticks_ms(), _T0) // 1000


def gmtime(secs=None):
    secs = int(time() if secs is None else secs)
    days, rest = divmod(secs, 86400)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    return (y, m, d, rest // 3600, rest // 60 % 60, rest % 60, (days + 3) % 7, 0)
'''
SOCKET_STAND_IN = '''AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM, IPPROTO_TCP, IPPROTO_UDP = 2, 10, 1, 2, 6, 17
SOL_SOCKET, SO_REUSEADDR = 1, 2


def getaddrinfo(*args):
    raise OSError(-2, "no network in the WebAssembly port")


class socket(object):
    def __init__(self, *args):
        raise OSError(97, "no network in the WebAssembly port")
'''


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


def check(fn):
    CHECKS.append(fn)
    return fn


def error_text(exc):
    if MICROPYTHON:
        import io
        buf = io.StringIO()
        sys.print_exception(exc, buf)
        return buf.getvalue()
    import traceback
    return "".join(traceback.format_exception(type(exc), exc, sys.exc_info()[2]))


def outcome(fn, *args):
    """{"ok": result} or {"error": class name, "message": ..., "traceback": ...}."""
    try:
        return {"ok": plain(fn(*args))}
    except Exception as exc:  # noqa: what the check reports
        out = {"error": type(exc).__name__, "message": str(exc)}
        if type(exc).__name__ != "ConfigError":
            out["traceback"] = error_text(exc)
        return out


def plain(value):
    """Something JSON can carry: dict keys become text (names are keyed by family 4/6)."""
    if isinstance(value, dict):
        return dict((str(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def modules():
    """ddns_min's modules, from the file tree."""
    found = []
    for folder, package in (("ddns_min", "ddns_min"), ("ddns_min/providers", "ddns_min.providers")):
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                base = name[:-3]
                found.append(package if base == "__init__" else package + "." + base)
    return found


@check
def imports():
    out = {}
    for name in modules():
        if name == "ddns_min.__main__":
            continue  # runs the CLI: see main_module
        out[name] = outcome(__import__, name)
        if "ok" in out[name]:
            out[name] = {"ok": True}
    return out


def provider_configs():
    base = {"ipv4": ["home.example.com"], "ipv6": ["home.example.com"],
            "index4": "81.2.69.142", "index6": "2001:4860:4860::8888", "cache": False}
    extra = {
        "cloudflare": {"token": SECRET, "ttl": 300, "proxied": False},
        "dnspod": {"id": "12345", "token": SECRET, "ttl": 600, "line": "default"},
        "dnspod_com": {"id": "12345", "token": SECRET},
        "tencentcloud": {"id": "AKIDexample0123456789", "token": SECRET},
        "edgeone": {"id": "AKIDexample0123456789", "token": SECRET, "ipv6": []},
        "edgeone_dns": {"id": "AKIDexample0123456789", "token": SECRET, "ttl": 300},
        "callback": {"id": "https://hook.example.com/ddns?ip=__IP__&name=__DOMAIN__",
                     "token": '{"ip": "__IP__"}'},
        "dyndns2": {"id": "user", "token": SECRET, "endpoint": "https://members.example.com"},
        "noip": {"id": "user", "token": SECRET},
        "dynu": {"id": "user", "token": SECRET},
        "he": {"token": SECRET},
        "pwdns": {"token": SECRET, "ipv4": ["home.pwdns.example.com"], "ipv6": []},
        "duckdns": {"token": SECRET, "ipv4": ["home.duckdns.org"], "ipv6": ["home.duckdns.org"]},
        "desec": {"token": SECRET, "ttl": 300},
        "dynv6": {"token": SECRET},
        "debug": {},
    }
    from ddns_min.providers import NAMES
    out = []
    for name in NAMES:
        conf = dict(base)
        conf["dns"] = name
        conf.update(extra.get(name, {"id": "12345", "token": SECRET}))
        out.append((name, conf))
        lean = {"dns": name, "ipv4": "home.example.com"}  # no credentials: a ConfigError or ok
        out.append((name + " (no credentials)", lean))
    return out


@check
def providers():
    from ddns_min import config
    return dict((label, outcome(config.from_dict, conf)) for label, conf in provider_configs())


@check
def bad_configs():
    from ddns_min import config
    cases = [
        {"dns": "cloudflare", "token": SECRET, "ipv4": "home.example.com", "ttl": "5"},
        {"dns": "cloudflare", "token": SECRET, "ipv4": "home..example.com"},
        {"dns": "cloudflare", "token": SECRET, "ipv4": "a.example.com",
         "endpoint": "http://api.example.com"},
        {"dns": "nosuch", "ipv4": "a.example.com"},
        {"dns": "dnspod", "token": "12345," + SECRET, "ipv4": "a.example.com"},
        {"dns": "cloudflare", "token": SECRET, "ipv4": "a.example.com", "index4": "regex:("},
        {"dns": "cloudflare", "token": SECRET, "ipv4": "a.example.com", "index4": "10.0.0.300"},
        {"dns": "cloudflare", "token": SECRET, "ipv4": "a.example.com", "interval": "5s"},
        {"dns": "cloudflare", "token": SECRET, "ipv4": "a.example.com", "bogus": 1},
        {"dns": "cloudflare", "token": SECRET},
    ]
    return [outcome(config.from_dict, c) for c in cases]


UCI_FILES = {
    "unnamed.config": """
config ddns_min
\toption dns 'dnspod'
\toption id '12345'
\toption token '%s'
\tlist ipv4 'a.example.com'
\tlist ipv4 "b.example.com"
\toption enabled 1

config ddns_min 'second'
\toption dns cloudflare
\toption token %s
\tlist ipv6 'v6.example.com'
\tlist interface wan6
\toption index6 'interface:wan6'
\toption interval '300'
\toption ttl '120'
""" % (SECRET, SECRET),
    "quoting.config": """# comment
package ddns_min
config ddns_min 'q'  # trailing comment
\toption dns 'cloud'"flare"
\toption token 'it'\\''s'
\toption ipv4 'a.example.com b.example.com'
\toption enabled '1'
""",
    "broken.config": """config ddns_min 'x'
\toption dns 'cloudflare
""",
    "other-type.config": """config other 'x'
\toption dns cloudflare
config ddns_min 'y'
\toption dns 'cloudflare'
\toption enabled '0'
\tlist ipv4 'y.example.com'
\toption token 'abc'
""",
}


@check
def uci_shipped():
    from ddns_min import uci
    path = "data/ddns_min.config"
    return {"parse": outcome(uci.parse, read(path), path),
            "enabled": outcome(uci.enabled_sections, path),
            "home": outcome(uci.load_section, path, "home"),
            "first": outcome(uci.load_section, path, "@ddns_min[0]"),
            "missing": outcome(uci.load_section, path, "nosuch")}


@check
def uci_crafted():
    from ddns_min import config, uci
    out = {}
    for name in sorted(UCI_FILES):
        path = "data/" + name
        write(path, UCI_FILES[name])
        out[name] = {"parse": outcome(uci.parse, UCI_FILES[name], path),
                     "enabled": outcome(uci.enabled_sections, path)}
        for section in ("@ddns_min[0]", "@ddns_min[-1]", "@ddns_min[1]", "second", "q", "y"):
            out[name][section] = outcome(uci.load_section, path, section)
        out[name]["config.load"] = outcome(config.load, {"config": path, "section": "@ddns_min[0]",
                                                         "dry_run": True})
    return out


JSON_FILES = {
    "plain.json": '{"dns": "cloudflare", "token": "%s", "ipv4": ["a.example.com"], '
                  '"index4": ["81.2.69.142"], "ttl": 300, "cache": false}' % SECRET,
    "comments.jsonc": '// the ddns package allows comments\n{"$schema": "x", /* here */ "dns": '
                      '"dnspod", "id": 12345, "token": "%s", "ipv4": "a.example.com", '
                      '"log": {"level": "DEBUG"}}' % SECRET,
    "providers.json": '{"ipv4": ["a.example.com"], "index4": "81.2.69.142", "providers": '
                      '[{"provider": "cloudflare", "token": "%s"}, {"dns": "debug"}]}' % SECRET,
    "unicode.json": '{"dns": "cloudflare", "token": "%s", "ipv4": ["b\\u00fccher.example.com", '
                    '"xn--bcher-kva.example.com"]}' % SECRET,
    "invalid.json": '{"dns": "cloudflare", "token": tru}',
    "array.json": '["dns"]',
    "empty.json": '',
}


@check
def json_files():
    from ddns_min import config
    out = {}
    for name in sorted(JSON_FILES):
        path = "data/" + name
        write(path, JSON_FILES[name])
        out[name] = {"load_file": outcome(config.load_file, path),
                     "load_all": outcome(config.load_all, {"config": path})}
    out["missing.json"] = {"load_file": outcome(config.load_file, "data/missing.json")}
    return out


@check
def peer_configs():
    from ddns_min import config
    folder = "data/peer-configs"
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".json") or n.endswith(".jsonc"))
    except OSError:
        return None
    out = {}
    for name in names:
        path = folder + "/" + name
        out[name] = {"load": outcome(config.load, {"config": path}),
                     "load_all": outcome(config.load_all, {"config": path}),
                     "load_all dry-run": outcome(config.load_all, {"config": path,
                                                                   "dry_run": True})}
    return out


@check
def state():
    from ddns_min import compat
    from ddns_min.state import State, VERIFY_AFTER
    folder = "state-dir/sub"  # created by save
    path = folder + "/state.json"
    conf = {"dns": "cloudflare", "token": SECRET, "endpoint": None, "id": None}
    now = 1796000000
    steps = []

    def step(*what):  # a copy now: the state's dicts change later
        steps.append(plain(list(what)))

    st = State(path)
    step("new", st.records, st.dirty)
    key = State.key(conf, "A", "home.example.com")
    step("key", key)
    entry = {"ip": "81.2.69.142", "settings": {"ttl": 300}, "verified": now, "domain": "home.example.com"}
    st.put(key, entry)
    st.set_refusal(conf, "token refused", now)
    step("fresh before save", st.fresh(key, "81.2.69.142", {"ttl": 300}, now + 10))
    st.save()
    step("saved", sorted(os.listdir(folder)), st.dirty)
    text = read(path)
    step("secret in file", SECRET in text)
    again = State(path)
    step("reloaded", again.records == st.records, again.refused == st.refused)
    step("fresh", again.fresh(key, "81.2.69.142", {"ttl": 300}, now + 10),
         again.fresh(key, "81.2.69.143", {"ttl": 300}, now + 10),
         again.fresh(key, "81.2.69.142", {"ttl": 60}, now + 10),
         again.fresh(key, "81.2.69.142", {"ttl": 300}, now + VERIFY_AFTER + 1),
         again.fresh(key, "81.2.69.142", {"ttl": 300}, now - 10))
    step("refusal", again.refusal(conf, now + 1), again.refusal(conf, now + 7200))
    again.set_refusal(conf, None, now)
    again.save()
    step("refusal cleared", State(path).refused)
    write(path + ".999.tmp", "left by a killed writer")
    changed = dict(entry)
    changed["ip"] = "81.2.69.143"
    again.put(key, changed)
    again.save()
    step("leftover removed", sorted(os.listdir(folder)))
    for damaged in ("{", "[]", '{"records": []}', '{"version": 1}', "\0\0\0"):
        write(path, damaged)
        st = State(path)
        step("damaged " + repr(damaged), st.records, st.refused)
    write(path, '{"version": 1, "records": {"k": 5}, "refused": []}')
    st = State(path)
    step("wrong entry", st.get("k"), st.refused)
    st = State(None)
    st.put("k", entry)
    st.save()
    step("no path", st.records == {"k": entry})
    step("hexlify", compat.hexlify(b"\x00\xffab"))
    return steps


@check
def lock():
    from ddns_min.state import Lock
    from ddns_min.errors import DDNSError
    steps = []
    first = Lock("lock-dir/state.json")
    first.acquire()
    steps.append(("first", first.held, os.listdir("lock-dir")))
    second = Lock("lock-dir/state.json")
    try:
        second.acquire(wait=0)
        steps.append(("second", second.held))
    except DDNSError as exc:
        steps.append(("second refused", str(exc)))
    first.release()
    steps.append(("released", first.held, os.listdir("lock-dir")))
    second.acquire(wait=0)
    steps.append(("second after release", second.held))
    second.release()
    none = Lock(None)
    none.acquire()
    none.release()
    steps.append(("no path", none.held, none.path))
    return steps


@check
def compat_checks():
    E_ACUTE = b"\xc3\xa9".decode("utf-8")
    from ddns_min import compat
    out = {}
    values = [{"a": [1, 2.5, None, True, False], "b": {"c": "d\"e\\f"}}, [], {}, "",
              b"caf\xc3\xa9 \xe4\xb8\xad".decode("utf-8"), -17, 1e100, [{"x": [[]]}], "\n\t\x01"]
    out["round trips"] = [compat.json_loads(compat.json_dumps(v)) == v for v in values]
    out["dumps parsed"] = [compat.json_loads(compat.json_dumps(v)) for v in values]
    def loads(text):  # ValueError is json_loads's promise (CPython raises a subclass of it)
        try:
            return ["ok", compat.json_loads(text)]
        except ValueError:
            return ["ValueError"]

    out["loads"] = [loads(t) for t in
                    ('{"a": 1}', ' [1, "x"] ', '"\\u00e9"', 'true', '', '{"a": 1} x', 'nope',
                     '{"a": tru}')]
    # Not compared: MicroPython's json ignores missing or doubled separators and a missing end
    # ('{"a": }' gives {}, '[1 2]' [1, 2], '{"dns": "x", ' {"dns": "x"}).
    out["sha256"] = [compat.hexlify(compat.sha256(v)) for v in ("", "abc", b"abc", E_ACUTE,
                                                             "a" * 1000)]
    out["hexlify"] = [compat.hexlify(v) for v in (b"", b"\x00\x01\xfe\xff", bytearray(b"AZ"))]
    out["to_text"] = [compat.to_text(v) for v in (b"abc", E_ACUTE.encode("utf-8"), "plain")]
    out["to_bytes"] = [list(bytearray(compat.to_bytes(v))) for v in ("abc", E_ACUTE, b"\xff")]
    out["quote"] = [compat.quote(v) for v in ("a b&c=d/e", E_ACUTE, "-_.~")]
    out["urlencode"] = compat.urlencode([("a", "1 2"), ("b", 3)])
    out["dirname"] = [compat.dirname(p) for p in ("/a/b", "a", "/a", "a/b/")]
    compat.makedirs("mk/a/b")
    out["makedirs"] = [compat.is_dir("mk/a/b"), compat.file_exists("mk/a/b"),
                       compat.is_dir("mk/nosuch")]
    write("mk/x", "1")
    write("mk/y", "2")
    compat.replace_file("mk/x", "mk/y")
    out["replace_file"] = [read("mk/y"), compat.file_exists("mk/x")]
    return out


@check
def cli_parse_args():
    from ddns_min import cli
    cases = [
        ["--dns", "cloudflare", "--ipv4", "a.example.com", "b.example.com,c.example.com",
         "--index4", "public", "81.2.69.142", "--ttl=300", "--proxied", "--no-cache", "--json"],
        ["-c", "/etc/config/ddns_min", "--section", "home", "--debug", "--log-file", "/tmp/x.log"],
        ["--proxied", "false", "--dry-run", "--log_level", "WARNING", "--index6", "false"],
        ["--ttl"], ["--bogus"], ["--ipv4", "-x"], ["-"], [],
    ]
    return [outcome(cli.parse_args, argv) for argv in cases]


def run_cli(argv):
    from ddns_min import cli
    sys.stdout.write("@@cli " + " ".join(argv) + "\n")
    return outcome(cli.main, argv)


@check
def cli_version():
    return run_cli(["--version"])


@check
def cli_help():
    return run_cli(["--help"])


@check
def cli_dry_run():
    return [run_cli(["--dns", "cloudflare", "--ipv4", "home.example.com", "--ipv6",
                     "home.example.com", "--index4", "81.2.69.142", "--index6", "false",
                     "--dry-run", "--json", "--no-cache"]),
            run_cli(["--dns", "debug", "--ipv4", "a.example.com", "--index4", "81.2.69.142",
                     "--json", "--no-cache"]),
            run_cli(["--dns", "cloudflare", "--ipv4", "a.example.com", "--json", "--ttl", "x"]),
            run_cli(["--nosuch"])]


@check
def main_module():
    """`micropython -m ddns_min --version`: the package's __main__ runs the CLI and exits."""
    saved = list(sys.argv)
    sys.argv[:] = ["ddns_min", "--version"]
    try:
        __import__("ddns_min.__main__")
        return {"exit": None}
    except SystemExit as exc:
        return {"exit": exc.args[0] if exc.args else None}
    finally:
        sys.argv[:] = saved


class Tagged(object):
    """CPython: stdout and stderr lines into one stream, tagged "1"/"2" as tests/wasm_run.mjs
    does for MicroPython, so output keeps its order and its channel."""
    def __init__(self, stream, tag):
        self.stream, self.tag, self.part = stream, tag, ""

    def write(self, text):
        if not isinstance(text, str):  # bytes on 3, unicode on 2.7
            text = text.decode("utf-8") if isinstance(text, bytes) else text.encode("utf-8")
        lines = (self.part + text).split("\n")
        self.part = lines.pop()
        for line in lines:
            self.stream.write(self.tag + line + "\n")

    def flush(self):
        self.stream.flush()


def main():
    import json
    port_stand_ins()
    if not MICROPYTHON:
        sys.stderr = Tagged(sys.stdout, "2")
        sys.stdout = Tagged(sys.stdout, "1")
    if "" not in sys.path and "." not in sys.path:
        sys.path.insert(0, "")
    for fn in CHECKS:
        sys.stdout.write("@@begin " + fn.__name__ + "\n")
        try:
            result = {"value": plain(fn())}
        except Exception as exc:  # noqa: reported as the check's crash
            result = {"crash": {"error": type(exc).__name__, "message": str(exc),
                                "traceback": error_text(exc)}}
        sys.stdout.write("\n@@end " + json.dumps(result) + "\n")


main()
