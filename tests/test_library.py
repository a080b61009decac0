"""`ddns_min.run(options)`: the entry a MicroPython board's main.py (or any script) calls."""
import json
import subprocess

import pytest

from clirun import ROOT, clean_env
from interpreters import require_micropython

TOKEN = "lib-token-s3cr3t"

SCRIPT = """
import json, ddns_min
from ddns_min.errors import DDNSError
try:
    report = ddns_min.run({"dns": "cloudflare", "token": %r, "endpoint": %r,
                           "ipv4": ["board.example.com"], "index4": "81.2.69.142",
                           "cache": %r})
    print(json.dumps(report))
except DDNSError as exc:
    print(json.dumps({"error": str(exc), "exit_code": exc.exit_code}))
"""


@pytest.mark.parametrize("runtime", ["cpython", pytest.param("micropython",
                                                             marks=pytest.mark.micropython)])
def test_run_from_a_script(runtime, tmpdir, cloudflare):
    import sys
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    exe = require_micropython() if runtime == "micropython" else sys.executable
    env = clean_env(tmpdir, {"MICROPYPATH": ROOT + ":.frozen", "PYTHONPATH": ROOT})
    code = SCRIPT % (TOKEN, cloudflare.url, str(tmpdir.join("state.json")))
    report = json.loads(subprocess.check_output([exe, "-c", code], env=env).decode("utf-8"))
    assert report["ok"] is True and report["exit_code"] == 0
    assert [(r["domain"], r["action"]) for r in report["records"]] == \
        [("board.example.com", "created")]
    bad = json.loads(subprocess.check_output(
        [exe, "-c", code.replace('"cloudflare"', '"nope"')], env=env).decode("utf-8"))
    assert bad["exit_code"] == 2 and '"dns"' in bad["error"]
