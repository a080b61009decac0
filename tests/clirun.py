"""Run the client the way users do: `python -m ddns_min` (or micropython) in a subprocess, with a
clean environment (no DDNS_* from the developer's shell, HOME in a temp dir)."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Result(object):
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def json(self):
        return json.loads(self.out)

    def text(self):
        return self.out + self.err

    def __repr__(self):
        return "<exit %s\nstdout: %s\nstderr: %s>" % (self.code, self.out, self.err)


def clean_env(home, extra=None):
    env = dict((k, v) for k, v in os.environ.items()
               if not k.startswith("DDNS_") and k not in ("XDG_CACHE_HOME", "PYTHONPATH"))
    env["HOME"] = str(home)
    env.update(extra or {})
    return env


def run(args, home, env=None, interpreter=None, timeout=60):
    """interpreter: a command list; default this CPython. For MicroPython, pass [path]."""
    interpreter = interpreter or [sys.executable]
    env = clean_env(home, env)
    env["PYTHONPATH"] = ROOT
    env["MICROPYPATH"] = ROOT + ":.frozen"
    proc = subprocess.Popen(interpreter + ["-m", "ddns_min"] + list(args), cwd=str(home), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=timeout) if sys.version_info[0] > 2 else proc.communicate()
    return Result(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
