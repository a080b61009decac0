"""The README's integration examples (cron, systemd, Home Assistant, container) run as written,
with only their paths pointed at a temp dir and the API endpoint at the emulator."""
import json
import os
import re
import signal
import subprocess
import sys
import time

from clirun import ROOT, clean_env

TOKEN = "docs-token-s3cr3t"


def block(name):
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    match = re.search(r"<!-- doc: %s -->\s*```[a-zA-Z]*\n(.*?)```" % re.escape(name), text, re.S)
    assert match, "README has no example %s" % name
    return match.group(1)


def setup_site(tmpdir, cf, config_name):
    """A folder standing in for /config or /app: the package and a config file."""
    cf.tokens[TOKEN] = None
    cf.add_zone("example.com")
    site = tmpdir.join("site").ensure(dir=True)
    site.join("ddns_min").mksymlinkto(os.path.join(ROOT, "ddns_min"))
    config = site.join(config_name)
    config.write(json.dumps({"dns": "cloudflare", "token": TOKEN, "endpoint": cf.url,
                             "ipv4": ["home.example.com"], "index4": "81.2.69.142"}))
    config.chmod(0o600)
    return site, str(config)


def shell(command, tmpdir, extra_env=None):
    env = clean_env(tmpdir, {"PYTHONPATH": ROOT})
    env.update(extra_env or {})
    proc = subprocess.Popen(["sh", "-c", command], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out, err = proc.communicate()
    return proc.returncode, out.decode("utf-8"), err.decode("utf-8")


def created(cf):
    return [r["content"] for r in cf.records(name="home.example.com")] == ["81.2.69.142"]


def test_cron_line(tmpdir, cloudflare):
    site, config = setup_site(tmpdir, cloudflare, "config.json")
    line = block("cron").strip()
    command = line.split(None, 5)[5]
    command = command.replace("/etc/ddns_min/config.json", config)
    command = command.replace("python3", sys.executable, 1)
    bindir = tmpdir.join("bin").ensure(dir=True)
    bindir.join("logger").write("#!/bin/sh\ncat >>%s\n" % tmpdir.join("syslog"))
    bindir.join("logger").chmod(0o755)
    code, out, err = shell(command, tmpdir, {"PATH": "%s:%s" % (bindir, os.environ["PATH"])})
    assert code == 0, err
    assert created(cloudflare)
    assert "home.example.com A: created 81.2.69.142" in tmpdir.join("syslog").read()


def test_systemd_service(tmpdir, cloudflare):
    site, config = setup_site(tmpdir, cloudflare, "config.json")
    unit = block("systemd")
    command = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)
    command = command.replace("/usr/bin/python3", sys.executable)
    command = command.replace("/etc/ddns_min/config.json", config)
    env = dict(l.split("=", 1) for l in re.findall(r"^Environment=(.*)$", unit, re.M))
    env = dict((k, v.replace("/var/cache", str(tmpdir.join("cache")))) for k, v in env.items())
    code, out, err = shell(command, tmpdir, env)
    assert code == 0, err
    assert created(cloudflare)
    assert tmpdir.join("cache", "ddns_min", "state.json").exists()


def test_home_assistant_commands(tmpdir, cloudflare):
    site, config = setup_site(tmpdir, cloudflare, "ddns_min.json")
    yaml = block("home-assistant")
    update = re.search(r'ddns_update: "(.*)"', yaml).group(1)
    sensor = re.search(r'command: "(.*)"', yaml).group(1)

    def local(command):
        return command.replace("/config", str(site)).replace("python3", sys.executable, 1)
    code, out, err = shell(local(update), tmpdir)
    assert code == 0, err
    assert json.loads(out)["records"][0]["action"] == "created"
    sent = len(cloudflare.requests)
    code, out, err = shell(local(sensor), tmpdir)
    status = json.loads(out)
    assert code == 0 and status["ok"] is True and status["time"]
    assert status["records"][0]["ip"] == "81.2.69.142"
    assert len(cloudflare.requests) == sent  # the sensor never touches the network


def test_container_recipe(tmpdir, cloudflare):
    site, config = setup_site(tmpdir, cloudflare, "config.json")
    recipe = block("container")
    entry = json.loads(re.search(r"^ENTRYPOINT (.*)$", recipe, re.M).group(1))
    args = json.loads(re.search(r"^CMD (.*)$", recipe, re.M).group(1))
    assert re.search(r"^WORKDIR /app$", recipe, re.M)
    argv = [sys.executable if a == "python3" else a for a in entry] + \
        [a.replace("/config/config.json", config) for a in args]
    proc = subprocess.Popen(argv, cwd=str(site), env=clean_env(tmpdir),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 15
    while not created(cloudflare) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert created(cloudflare)
    proc.send_signal(signal.SIGTERM)  # docker stop
    out, err = proc.communicate()
    assert proc.returncode == 0, err


def test_every_provider_example_in_the_readme_is_a_valid_config():
    from ddns_min import config, providers
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    block = text[text.index("One working config for each"):text.index("These APIs")]
    examples = [json.loads(l) for l in block.splitlines() if l.startswith("{")]
    assert set(e["dns"] for e in examples) == set(providers.NAMES) - set(["cloudflare", "dnspod"])
    for example in examples:  # validates as a real run would: credentials, endpoint, names
        assert config.validate(example)["dns"] == example["dns"]
