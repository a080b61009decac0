"""The Home Assistant side, without Home Assistant: manifest, hacs.json, strings, and the release
archive bin/ha-bundle builds (client vendored, a real pass from it against the emulator). The
integration itself runs in a real HA core in tests/ha (tests/ha/run.sh)."""
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

from clirun import ROOT, clean_env

pytestmark = pytest.mark.skipif(sys.version_info < (3, 6), reason="the integration is Python 3")
INTEGRATION = os.path.join(ROOT, "custom_components", "ddns_min")


def load(*parts):
    with io.open(os.path.join(*parts), encoding="utf-8") as f:
        return json.load(f)


def test_manifest_and_hacs_json():
    import ddns_min
    from ddns_min import providers
    man = load(INTEGRATION, "manifest.json")
    assert list(man)[:2] == ["domain", "name"]  # hassfest's order: domain, name, then sorted
    assert list(man)[2:] == sorted(list(man)[2:])
    assert man["domain"] == "ddns_min" and man["config_flow"] is True
    assert man["iot_class"] == "cloud_polling" and man["integration_type"] == "service"
    assert man["version"] == ddns_min.__version__
    assert man["requirements"] == ["ddns-min==%s" % ddns_min.__version__]
    for key in ("name", "codeowners", "documentation", "issue_tracker"):
        assert man[key]
    hacs = load(ROOT, "hacs.json")
    assert hacs["zip_release"] is True and hacs["filename"] == "ddns_min.zip"
    # The form's providers are the client's (less "debug", which sends nothing).
    consts = {}
    with io.open(os.path.join(INTEGRATION, "const.py"), encoding="utf-8") as f:
        exec(f.read(), consts)
    assert consts["PROVIDERS"] == [n for n in providers.NAMES if n != "debug"]


def test_strings_and_translations_agree():
    strings = load(INTEGRATION, "strings.json")
    assert load(INTEGRATION, "translations", "en.json") == strings
    user = strings["config"]["step"]["user"]["data"]
    assert set(user) == set(strings["options"]["step"]["init"]["data"])
    for key in ("invalid_auth", "cannot_connect"):
        assert key in strings["config"]["error"] and key in strings["options"]["error"]
    assert set(strings["selector"]["provider"]["options"]) == set(_providers())


def _providers():
    from ddns_min import providers
    return [n for n in providers.NAMES if n != "debug"]


def test_bundle_runs_a_pass_with_the_vendored_client(tmpdir, cloudflare):
    out = str(tmpdir.join("ddns_min.zip"))
    subprocess.check_call([sys.executable, os.path.join(ROOT, "bin", "ha-bundle"), out],
                          stdout=subprocess.DEVNULL)
    again = str(tmpdir.join("again.zip"))
    subprocess.check_call([sys.executable, os.path.join(ROOT, "bin", "ha-bundle"), again],
                          stdout=subprocess.DEVNULL)
    with open(out, "rb") as a, open(again, "rb") as b:
        assert a.read() == b.read()  # reproducible
    archive = zipfile.ZipFile(out)
    names = archive.namelist()
    assert "manifest.json" in names and "translations/en.json" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    client = sorted(os.path.relpath(os.path.join(d, f), ROOT).replace(os.sep, "/")
                    for d, _, fs in os.walk(os.path.join(ROOT, "ddns_min"))
                    for f in fs if f.endswith(".py"))
    assert sorted(n[len("_vendor/"):] for n in names if n.startswith("_vendor/")) == client
    assert json.loads(archive.read("manifest.json").decode("utf-8"))["requirements"] == []
    target = tmpdir.mkdir("custom_components").mkdir("ddns_min")
    archive.extractall(str(target))
    # The integration's runner without Home Assistant (its package __init__ needs HA): a bare
    # package around the unpacked folder, in a Python that cannot see this repo's client.
    cloudflare.tokens["bundle-s3cr3t"] = None
    cloudflare.add_zone("example.com")
    code = """
import importlib, json, sys, types
pkg = types.ModuleType("bundle"); pkg.__path__ = [%(dir)r]; sys.modules["bundle"] = pkg
runner = importlib.import_module("bundle.runner")
client = runner.client()
assert client.__file__.startswith(%(dir)r + "/_vendor/"), client.__file__
settings = {"provider": "cloudflare", "token": "bundle-s3cr3t", "endpoint": %(url)r,
            "ipv4": "board.example.com", "index4": "81.2.69.142"}
assert runner.check_credentials(settings) is None
bad = runner.check_credentials(dict(settings, token="nope-nope"))
outcome = runner.run_pass(settings, %(cache)r)
print(json.dumps({"kind": outcome.kind, "records": outcome.records, "bad": bad}))
""" % {"dir": str(target), "url": cloudflare.url, "cache": str(tmpdir.join("state.json"))}
    env = clean_env(tmpdir)
    result = json.loads(subprocess.check_output([sys.executable, "-I", "-c", code],
                                                cwd=str(tmpdir), env=env).decode("utf-8"))
    assert result["kind"] == "ok"
    assert result["records"]["board.example.com|A"]["ip"] == "81.2.69.142"
    assert result["records"]["board.example.com|A"]["action"] == "created"
    assert result["bad"][0] == "invalid_auth"
    assert [r["content"] for r in cloudflare.records(name="board.example.com")] == ["81.2.69.142"]
