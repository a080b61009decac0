"""The state file: atomic rewrite, tolerance of damage, no secrets, and the run lock."""
import os
import threading
import time

from ddns_min import state as statemod
from ddns_min.state import Lock, State

CONF = {"dns": "cloudflare", "token": "state-secret-token-123", "id": None, "endpoint": None}


def test_round_trip_and_freshness(tmpdir):
    path = str(tmpdir.join("sub", "dir", "state.json"))
    st = State(path)
    key = State.key(CONF, "A", "home.example.com")
    st.put(key, {"ip": "81.2.69.142", "settings": [None, None, None], "verified": int(time.time())})
    st.save()
    again = State(path)
    assert again.fresh(key, "81.2.69.142", [None, None, None])
    assert not again.fresh(key, "81.2.69.143", [None, None, None])
    assert not again.fresh(key, "81.2.69.142", [300, None, None])
    assert not again.fresh(key, "81.2.69.142", [None, None, None],
                           now=time.time() + statemod.VERIFY_AFTER + 1)
    assert "state-secret-token-123" not in open(path).read()
    assert [n for n in os.listdir(os.path.dirname(path)) if n != "state.json"] == []


def test_other_credentials_do_not_share_entries():
    other = dict(CONF, token="another-token-456")
    assert State.key(CONF, "A", "a.example.com") != State.key(other, "A", "a.example.com")


def test_damaged_or_foreign_files_are_ignored(tmpdir):
    for text in ('{"records": ', '[1, 2]', '{"records": [1]}', '\x00\x01garbage'):
        path = tmpdir.join("state.json")
        path.write(text)
        assert State(str(path)).records == {}


def test_unwritable_state_is_a_warning_not_a_crash(tmpdir):
    blocker = tmpdir.join("file")
    blocker.write("x")
    st = State(str(blocker.join("state.json")))  # a folder that is a file
    st.put("k", {"ip": "81.2.69.142"})
    st.save()
    assert st.dirty


def test_lock_excludes_a_second_run_until_released(tmpdir):
    path = str(tmpdir.join("state.json"))
    first = Lock(path)
    first.acquire()
    order = []

    def second():
        lock = Lock(path)
        lock.acquire(wait=10)
        order.append("second")
        lock.release()
    worker = threading.Thread(target=second)
    worker.start()
    time.sleep(1.0)
    order.append("first done")
    first.release()
    worker.join(15)
    assert order == ["first done", "second"]


def test_stale_lock_of_a_crashed_run_is_taken_over(tmpdir):
    path = str(tmpdir.join("state.json"))
    os.mkdir(path + ".lock")
    old = time.time() - statemod.LOCK_STALE - 5
    os.utime(path + ".lock", (old, old))
    lock = Lock(path)
    lock.acquire(wait=2)
    assert lock.held
    lock.release()
    assert not os.path.exists(path + ".lock")


def test_lock_of_a_run_that_is_gone_is_taken_over_at_once(tmpdir):
    import subprocess
    import sys
    path = str(tmpdir.join("state.json"))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    os.mkdir(path + ".lock")
    with open(path + ".lock/pid", "w") as f:
        f.write(str(dead.pid))
    start = time.time()
    lock = Lock(path)
    lock.acquire(wait=5)
    assert lock.held and time.time() - start < 1
    assert open(path + ".lock/pid").read() == str(os.getpid())
    lock.release()
    assert not os.path.exists(path + ".lock")


def test_lock_of_a_live_run_is_respected(tmpdir):
    path = str(tmpdir.join("state.json"))
    os.mkdir(path + ".lock")
    with open(path + ".lock/pid", "w") as f:
        f.write("1")  # init: alive as long as the machine is
    lock = Lock(path)
    import pytest
    from ddns_min.errors import DDNSError
    with pytest.raises(DDNSError) as exc:
        lock.acquire(wait=0.5)
    assert "holds" in str(exc.value) and not lock.held
