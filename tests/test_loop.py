"""Loop mode: passes repeat with jitter and back-off; SIGTERM or Ctrl-C stops it cleanly."""
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from clirun import ROOT, clean_env
from interpreters import require_micropython

from ddns_min.loop import MAX_BACKOFF, next_wait

TOKEN = "loop-token-s3cr3t"


def test_next_wait_jitter_and_backoff():
    rng = random.Random(7)
    plain = [next_wait(300, 0, rng) for _ in range(50)]
    assert all(300 <= w <= 330 for w in plain) and len(set(plain)) > 40
    assert 600 <= next_wait(300, 1, rng) <= 630
    assert 1200 <= next_wait(300, 2, rng) <= 1230
    assert MAX_BACKOFF <= next_wait(300, 30, rng) <= MAX_BACKOFF + 30
    assert 7200 <= next_wait(7200, 3, rng) <= 7230  # never shorter than the interval


def test_interval_below_minimum_is_a_config_error(tmpdir):
    from clirun import run
    res = run(["--interval", "5s", "--ipv4", "a.example.com", "--dns", "cloudflare",
               "--token", TOKEN], tmpdir)
    assert res.code == 2 and '"interval"' in res.err


@pytest.mark.parametrize("runtime", ["cpython", pytest.param("micropython",
                                                             marks=pytest.mark.micropython)])
def test_loop_runs_then_stops_cleanly_on_signal(runtime, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    state = tmpdir.join("state.json")
    exe = [require_micropython()] if runtime == "micropython" else [sys.executable]
    env = clean_env(tmpdir, {"PYTHONPATH": ROOT, "MICROPYPATH": ROOT + ":.frozen"})
    proc = subprocess.Popen(exe + ["-m", "ddns_min", "--json", "--interval", "30s",
                                   "--dns", "cloudflare", "--token", TOKEN,
                                   "--endpoint", cloudflare.url, "--ipv4", "a.example.com",
                                   "--index4", "81.2.69.142", "--cache", str(state)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = json.loads(proc.stdout.readline().decode("utf-8"))
    assert first["records"][0]["action"] == "created" and first["time"]
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM if runtime == "cpython" else signal.SIGINT)
    deadline = time.time() + 10
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    err = proc.stderr.read().decode("utf-8")
    if runtime == "micropython" and proc.poll() == -signal.SIGINT:
        pass  # a standalone unix port (1.20, 1.23) dies of SIGINT outside its REPL: no "stopped"
    else:
        assert proc.poll() == 0 and "stopped" in err, err
    assert json.loads(state.read())["records"]
    assert not os.path.exists(str(state) + ".lock")


@pytest.mark.micropython
def test_micropython_loop_killed_by_sigterm_leaves_whole_state_and_no_delay(tmpdir, cloudflare):
    """MicroPython has no signal module: SIGTERM (procd's stop) ends the process at once. The
    state is whole (atomic writes) and the next run is not held up by a lock (its pid is gone)."""
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    state = tmpdir.join("state.json")
    env = clean_env(tmpdir, {"MICROPYPATH": ROOT + ":.frozen"})
    args = ["-m", "ddns_min", "--json", "--dns", "cloudflare", "--token", TOKEN,
            "--endpoint", cloudflare.url, "--ipv4", "a.example.com", "--cache", str(state)]
    proc = subprocess.Popen([require_micropython()] + args + ["--interval", "30", "--index4",
                                                              "81.2.69.142"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert json.loads(proc.stdout.readline().decode("utf-8"))["records"][0]["action"] == "created"
    proc.send_signal(signal.SIGTERM)
    proc.wait()
    assert json.loads(state.read())["records"]
    start = time.time()
    out = subprocess.check_output([require_micropython()] + args + ["--index4", "81.2.69.143"],
                                  env=env)
    assert json.loads(out.decode("utf-8"))["records"][0]["action"] == "updated"
    assert time.time() - start < 15
