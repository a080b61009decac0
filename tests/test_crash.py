"""Power cuts: the client is killed with SIGKILL at random moments while it rewrites the state
file, many times; the file must always be a complete old or new version, never a torn one."""
import json
import os
import random
import signal
import subprocess
import sys
import time

from clirun import ROOT

WRITER = """
import sys, time
sys.path.insert(0, %r)
from ddns_min.state import State
path = sys.argv[1]
i = 0
while True:
    i += 1
    st = State(path)
    for n in range(200):  # a big file, so that a kill often lands inside a write
        st.put("k%%d" %% n, {"ip": "81.2.69.%%d" %% (i %% 250), "version": i, "pad": "x" * 50})
    st.save()
"""


def test_state_file_survives_sigkill_during_writes(tmpdir):
    path = str(tmpdir.join("state.json"))
    rng = random.Random(1234)
    seen_versions = set()
    for _ in range(40):
        proc = subprocess.Popen([sys.executable, "-c", WRITER % ROOT, path])
        time.sleep(0.05 + rng.random() * 0.25)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if not os.path.exists(path):
            continue
        with open(path) as f:
            data = json.load(f)  # never torn: always parses
        versions = set(e["version"] for e in data["records"].values())
        assert len(data["records"]) == 200 and len(versions) == 1  # one whole version
        seen_versions |= versions
    assert len(seen_versions) > 5  # the kills really landed at different moments
    # The next complete write clears the temporary files that killed writers left behind.
    subprocess.check_call([sys.executable, "-c", "import sys; sys.path.insert(0, %r)\n"
                           "from ddns_min.state import State\n"
                           "st = State(%r); st.put('k', {'ip': 'x'}); st.save()" % (ROOT, path)])
    assert os.listdir(str(tmpdir)) == ["state.json"]


def test_a_killed_run_does_not_delay_the_next_one(client, tmpdir, cloudflare):
    """procd's restart kills a run in the middle (here: while the provider is slow to answer);
    its lock names a pid that is gone, so the next run takes it over at once, not after
    LOCK_STALE s, and does the update."""
    from clirun import clean_env
    from interpreters import require_micropython
    token = "tok-s3cr3t-0123456789"
    cloudflare.tokens[token] = None
    cloudflare.add_zone("example.com")
    rid = cloudflare.add_record("example.com", "a.example.com", "A", "81.2.69.142")
    state = str(tmpdir.join("state.json"))
    args = ["-m", "ddns_min", "--dns", "cloudflare", "--token", token, "--endpoint",
            cloudflare.url, "--ipv4", "a.example.com", "--cache", state, "--index4", "81.2.69.150"]
    interpreter = require_micropython() if client.interpreter == "micropython" else sys.executable
    env = clean_env(tmpdir, {"PYTHONPATH": ROOT, "MICROPYPATH": ROOT + ":.frozen"})
    cloudflare.fail_next(delay=20, count=1)  # the first request hangs
    proc = subprocess.Popen([interpreter] + args, cwd=str(tmpdir), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pidfile = state + ".lock/pid"
    for _ in range(100):
        if os.path.exists(pidfile):
            break
        time.sleep(0.05)
    assert open(pidfile).read().strip() == str(proc.pid)
    while not cloudflare.requests:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    start = time.time()
    res = client(args[2:] + ["--json"])
    assert res.code == 0, res
    assert time.time() - start < 15  # far below the 180 s stale-lock age
    assert cloudflare.records()[0]["content"] == "81.2.69.150" and rid
    assert not os.path.exists(state + ".lock")
