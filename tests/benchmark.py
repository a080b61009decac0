"""Benchmark: ddns_min against the `ddns` package 4.2.0 on the same scenarios, same emulator.

    python3 tests/benchmark.py [--runs N] [--skip-ddns] [--micropython PATH[=MPY_CROSS]]...

Installs ddns==4.2.0 into /tmp/ddns_min-bench-venv (once), serves the Cloudflare API emulator on
127.0.0.1, and runs each client as a fresh process per run. Prints a Markdown table of medians:
wall time, peak RSS (GNU time's %M of that very process), and provider requests per run, with
ratios against ddns. Scenarios:
  unchanged, `default` rule   the record holds this host's default-route address, state warm:
                              the cron case, the same config for both clients
  unchanged, literal address  the same with the address given (OpenWrt's hotplug passes it);
                              ddns has no literal rule, so it gets `shell:echo ADDR` (one fork)
  changed (warm state)        the address changed, state warm (ids known)
  cold (no state)             no state file; the record exists with another address
No echo service is involved. Below the table: the bare interpreter, and the package size.
Then N names in one zone (N = 1, 10, 50; issue 20), for ddns_min and ddns: requests, wall and
peak RSS of an unchanged run (state warm), a change (ids known) and a cold run (no state, every
record there with another address).
--micropython adds a standalone MicroPython binary (repeatable): once from sources, and once from
.mpy made by MPY_CROSS (its own version's compiler; default: mpy-cross-X.Y beside a binary named
micropython-X.Y). Its RSS is the binary's own, unlike the PyPI build's.
This is a script, not a test: pytest does not collect it.
"""
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, ROOT)
from fake_cloudflare import CloudflareEmulator  # noqa: E402

VENV = "/tmp/ddns_min-bench-venv"
OUR_VENV = "/tmp/ddns_min-bench-ours"
TOKEN = "bench-token"


def ddns_venv():
    exe = os.path.join(VENV, "bin", "ddns")
    if not os.path.exists(exe):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([os.path.join(VENV, "bin", "pip"), "install", "-q", "ddns==4.2.0"])
    return exe


def our_venv():
    """ddns_min installed the way ddns is (its own venv, bytecode compiled by pip), so that both
    start from an equally clean interpreter."""
    if os.path.exists(OUR_VENV):
        shutil.rmtree(OUR_VENV)
    subprocess.check_call([sys.executable, "-m", "venv", OUR_VENV])
    subprocess.check_call([os.path.join(OUR_VENV, "bin", "pip"), "install", "-q", ROOT])
    return os.path.join(OUR_VENV, "bin", "ddns-min")


def measure(argv, env):
    """-> (seconds, peak RSS in MiB, exit code, stderr) of one process. The peak comes from GNU
    time: a child forked from this (large) process would count our memory until its exec."""
    with tempfile.NamedTemporaryFile() as peak, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        code = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", peak.name] + argv, env=env,
                               stdout=subprocess.DEVNULL, stderr=err)
        elapsed = time.perf_counter() - start
        err.seek(0)
        kib = int(open(peak.name).read().split()[-1])
        return elapsed, kib / 1024.0, code, err.read().decode()


def clients(skip_ddns):
    # Bytecode caches as an installed package has them (pip compiles ddns at install time).
    env = dict((k, v) for k, v in os.environ.items()
               if not k.startswith("DDNS_") and k != "PYTHONDONTWRITEBYTECODE")
    env.update(PYTHONPATH=ROOT, MICROPYPATH=ROOT + ":.frozen")
    args = lambda url, rule, state: ["--dns", "cloudflare", "--token", TOKEN, "--endpoint", url,
                                     "--ipv4", "home.example.com", "--index4", rule,
                                     "--cache", state]
    ours = lambda exe: (lambda url, rule, state: [exe, "-m", "ddns_min"] + args(url, rule, state))
    script = our_venv()
    runtime = "CPython " + platform.python_version()
    found = [("ddns_min (`ddns-min`)", runtime, lambda *a: [script] + args(*a)),
             ("ddns_min (`-m`)", runtime, ours(os.path.join(OUR_VENV, "bin", "python")))]
    py27 = os.path.expanduser("~/.pyenv/versions/2.7.18/bin/python")
    if os.path.exists(py27):
        found.append(("ddns_min (`-m`)", "CPython 2.7", ours(py27)))
    if shutil.which("micropython"):
        found.append(("ddns_min (`-m`)", "MicroPython (PyPI)", ours(shutil.which("micropython"))))
    for exe, cross in standalone_micropythons():
        version = subprocess.check_output([exe, "-c", "import sys; print('%d.%d.%d' % "
                                           "sys.implementation.version[:3])"]).decode().strip()
        found.append(("ddns_min sources", "MicroPython " + version, ours(exe)))
        if cross:
            found.append(("ddns_min .mpy", "MicroPython " + version,
                          mpy_runner(exe, compile_mpy(cross))))
    if not skip_ddns:
        exe = ddns_venv()
        # ddns has no literal-address rule; its cheapest stand-in is `shell:echo ADDR`.
        found.append(("ddns 4.2.0", runtime,
                      lambda url, rule, state: [
                          exe, "--dns", "cloudflare", "--token", TOKEN,
                          "--endpoint", url.replace("/client/v4", ""),  # ddns adds /client/v4
                          "--ipv4", "home.example.com",
                          "--index4", rule if rule == "default" else "shell:echo " + rule,
                          "--cache", state, "--log_level", "WARNING"]))
    return found, env


def standalone_micropythons():
    """--micropython PATH[=MPY_CROSS] arguments -> [(binary, mpy-cross or None)]."""
    out = []
    for i, arg in enumerate(sys.argv):
        if arg == "--micropython":
            exe, _, cross = sys.argv[i + 1].partition("=")
            if not cross:
                guess = os.path.join(os.path.dirname(exe),
                                     os.path.basename(exe).replace("micropython", "mpy-cross"))
                cross = guess if guess != exe and os.path.exists(guess) else None
            out.append((os.path.abspath(exe), cross))
    return out


def compile_mpy(cross):
    """The package as .mpy files made by `cross`, in a temporary folder -> that folder."""
    folder = tempfile.mkdtemp()
    for d, _, fs in os.walk(os.path.join(ROOT, "ddns_min")):
        rel = os.path.relpath(d, ROOT)
        os.makedirs(os.path.join(folder, rel), exist_ok=True)
        for f in fs:
            if f.endswith(".py"):
                subprocess.check_call([cross, "-o", os.path.join(folder, rel, f[:-3] + ".mpy"),
                                       os.path.join(d, f)], cwd=ROOT)
    return folder


def mpy_runner(exe, folder):
    def argv(url, rule, state):
        # `env` below puts the .mpy folder (not the sources) first on MicroPython's path.
        return ["env", "MICROPYPATH=%s:.frozen" % folder, exe, "-m", "ddns_min"] + [
            "--dns", "cloudflare", "--token", TOKEN, "--endpoint", url, "--ipv4",
            "home.example.com", "--index4", rule, "--cache", state]
    return argv


def default_address():
    """This host's IPv4 source address for the default route (what `default` finds), or None."""
    from ddns_min import detect
    from ddns_min.errors import DetectError
    try:
        return detect.default_route_address(4)
    except DetectError:
        return None


def scenario(kind, make_argv, env, runs):
    """kind: "default" or "literal" (nothing changed, state warm), "changed", "cold"."""
    times, rss, requests = [], [], []
    home_ip = default_address() if kind == "default" else None
    with CloudflareEmulator() as cf:
        cf.tokens[TOKEN] = None
        cf.add_zone("example.com")
        rid = cf.add_record("example.com", "home.example.com", "A", home_ip or "81.2.69.1")
        home = tempfile.mkdtemp()
        env = dict(env, HOME=home)
        state = os.path.join(home, "state")
        for i in range(runs + 1):  # run 0 warms up (and fills the state)
            rule = "default" if home_ip else (
                "81.2.69.%d" % (10 + i) if kind in ("changed", "cold") else "81.2.69.10")
            if kind == "cold":
                cf.set_record(rid, content="81.2.69.1")
                if os.path.exists(state):
                    os.remove(state)
            sent = len(cf.requests)
            seconds, peak, code, err = measure(make_argv(cf.url, rule, state), env)
            if code != 0:
                sys.exit("a %s run failed (exit %s):\n%s" % (kind, code, err))
            if i:
                times.append(seconds)
                rss.append(peak)
                requests.append(len(cf.requests) - sent)
        shutil.rmtree(home)
    return statistics.median(times), statistics.median(rss), statistics.median(requests)


def many_clients(found, skip_ddns):
    """-> [(client, runtime, argv(url, rule, state, names))] for the N-names table."""
    def ours(exe):
        return lambda url, rule, state, names: [
            exe, "-m", "ddns_min", "--dns", "cloudflare", "--token", TOKEN, "--endpoint", url,
            "--ipv4"] + names + ["--index4", rule, "--cache", state]
    out = [("ddns_min (`-m`)", "CPython " + platform.python_version(),
            ours(os.path.join(OUR_VENV, "bin", "python")))]
    for exe, _ in standalone_micropythons()[-1:]:
        out.append(("ddns_min sources", "MicroPython (standalone)", ours(exe)))
    if not skip_ddns:
        exe = ddns_venv()
        out.append(("ddns 4.2.0", "CPython " + platform.python_version(),
                    lambda url, rule, state, names: [
                        exe, "--dns", "cloudflare", "--token", TOKEN,
                        "--endpoint", url.replace("/client/v4", ""), "--ipv4"] + names + [
                        "--index4", "shell:echo " + rule, "--cache", state,
                        "--log_level", "WARNING"]))
    return out


def names_scenario(n, kind, make_argv, env, runs):
    """kind: "unchanged" or "changed" (state warm), "cold" (no state, records hold another
    address). -> medians (wall s, peak RSS MiB, requests)."""
    times, rss, requests = [], [], []
    names = ["h%d.example.com" % i for i in range(n)]
    with CloudflareEmulator() as cf:
        cf.tokens[TOKEN] = None
        cf.add_zone("example.com")
        ids = [cf.add_record("example.com", name, "A", "81.2.69.1") for name in names]
        home = tempfile.mkdtemp()
        env = dict(env, HOME=home)
        state = os.path.join(home, "state")
        for i in range(runs + 1):  # run 0 warms up (and fills the state)
            rule = "81.2.69.%d" % (10 + i) if kind != "unchanged" else "81.2.69.10"
            if kind == "cold":
                for rid in ids:
                    cf.set_record(rid, content="81.2.69.1")
                if os.path.exists(state):
                    os.remove(state)
            sent = len(cf.requests)
            seconds, peak, code, err = measure(make_argv(cf.url, rule, state, names), env)
            if code != 0:
                sys.exit("a %d-names %s run failed (exit %s):\n%s" % (n, kind, code, err))
            if i:
                times.append(seconds)
                rss.append(peak)
                requests.append(len(cf.requests) - sent)
        shutil.rmtree(home)
    return statistics.median(times), statistics.median(rss), statistics.median(requests)


def names_table(found, skip_ddns, env, runs):
    print("\nN names in one zone:\n")
    print("| names | scenario | client | runtime | requests/run | wall ms | peak RSS MiB |")
    print("| ---: | --- | --- | --- | ---: | ---: | ---: |")
    for n in (1, 10, 50):
        for kind in ("unchanged", "changed", "cold"):
            for name, runtime, argv in many_clients(found, skip_ddns):
                wall, rss, reqs = names_scenario(n, kind, argv, env, runs)
                print("| %d | %s | %s | %s | %g | %.0f | %.1f |" % (
                    n, kind, name, runtime, reqs, wall * 1000, rss))


def bare_interpreter(env, runs):
    exe = os.path.join(OUR_VENV, "bin", "python")
    found = [measure([exe, "-c", "pass"], env)[:2] for _ in range(runs)]
    return statistics.median(f[0] for f in found), statistics.median(f[1] for f in found)


def sizes():
    """KiB of the package as source, and as MicroPython bytecode (mpy-cross) if available."""
    files = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(ROOT, "ddns_min"))
             for f in fs if f.endswith(".py")]
    source = sum(os.path.getsize(f) for f in files) / 1024.0
    if not shutil.which("mpy-cross"):
        return source, None
    out = tempfile.mkdtemp()
    total = 0
    for i, path in enumerate(files):
        target = os.path.join(out, "%d.mpy" % i)
        subprocess.check_call(["mpy-cross", "-o", target, path])
        total += os.path.getsize(target)
    shutil.rmtree(out)
    return source, total / 1024.0


def main():
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    found, env = clients("--skip-ddns" in sys.argv)
    cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")]
    print("Machine: %s, %s, %d cores; %s; %d runs each\n" % (
        platform.platform(), cpu[0] if cpu else "?", os.cpu_count(),
        time.strftime("%Y-%m-%d"), runs))
    print("| scenario | client | runtime | wall ms | peak RSS MiB | requests/run | wall vs ddns "
          "| RSS vs ddns |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    kinds = [("unchanged, `default` rule", "default"), ("unchanged, literal address", "literal"),
             ("changed (warm state)", "changed"), ("cold (no state)", "cold")]
    if default_address() is None:
        kinds = kinds[1:]
    base = None
    for title, kind in kinds:
        rows = [(name, runtime, scenario(kind, argv, env, runs))
                for name, runtime, argv in found]
        ddns = [r[2] for r in rows if r[0].startswith("ddns ")]
        base = base or (ddns[0] if ddns else None)
        for name, runtime, (wall, rss, reqs) in rows:
            ratio = ("%.2f" % (wall / ddns[0][0]), "%.2f" % (rss / ddns[0][1])) if ddns \
                else ("", "")
            print("| %s | %s | %s | %.0f | %.1f | %g | %s | %s |" % (
                title, name, runtime, wall * 1000, rss, reqs, ratio[0], ratio[1]))
    wall, rss = bare_interpreter(env, runs)
    print("\nThe interpreter alone (`python -c pass` in the same venv): %.0f ms, %.1f MiB%s." % (
        wall * 1000, rss, " (%.2f / %.2f of ddns's first row)" % (wall / base[0], rss / base[1])
        if base else ""))
    source, mpy = sizes()
    print("ddns_min package: %.1f KiB of source%s." % (
        source, ", %.1f KiB as MicroPython .mpy" % mpy if mpy else ""))
    print("(The PyPI MicroPython runs inside a CPython wrapper process, so its RSS includes "
          "CPython; standalone binaries are measured on their own.)")
    names_table(found, "--skip-ddns" in sys.argv, env, max(1, runs // 2))


if __name__ == "__main__":
    main()
