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
