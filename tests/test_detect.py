"""`interface:` without running `ip`: the kernel's answer must be the one `ip` would have given.

Each test builds the interface's addresses in a fresh network namespace (`unshare -n`, as root),
on its loopback interface, then compares the client's answer with the address picked from
`ip -o addr` in the same namespace.
"""
import json
import os
import subprocess
import sys

import pytest

from clirun import ROOT

LAUNCHER = os.path.join(ROOT, "bin", "ddns-min")
PICK_WITH_IP = ("import sys; sys.path.insert(0, %r); from ddns_min import detect\n"
                "for family in (4, 6):\n"
                "    print(detect._prefer_global(detect.host_addresses(family, 'lo'), family))\n"
                % ROOT)


def in_namespace(setup, argv):
    """Run `setup` (ip commands), then argv, in a new network namespace -> (stdout, stderr)."""
    if os.geteuid() != 0 or subprocess.call(["unshare", "-n", "true"]) != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run as root with unshare (network namespaces)")
        pytest.skip("needs root and unshare -n")
    script = " && ".join(setup + ['exec "$@"'])
    proc = subprocess.Popen(["unshare", "-n", "sh", "-c", script, "sh"] + argv,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONPATH=ROOT))
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()[-3000:]
    return out.decode(), err.decode()


def detect_both(setup):
    """-> (addresses the client found, addresses `ip` gives, modules the client imported)."""
    out, err = in_namespace(setup, [sys.executable, "-v", LAUNCHER, "--dry-run", "--json",
                                    "--ipv4", "a.example.com", "--ipv6", "a.example.com",
                                    "--index4", "interface:lo", "--index6", "interface:lo"])
    found = [r["ip"] for r in json.loads(out)["records"]]
    expected, _ = in_namespace(setup, [sys.executable, "-c", PICK_WITH_IP])
    modules = [line.split()[1].strip("'") for line in err.splitlines()
               if line.startswith("import ")]
    return found, expected.split(), modules


def test_one_global_address_per_family_needs_no_ip_command():
    found, expected, modules = detect_both([
        "ip addr add 81.2.69.142/24 dev lo",
        "ip -6 addr add 2a01:4f8::1/64 dev lo nodad",
        "ip -6 addr add 2a01:4f8::99/64 dev lo nodad",
        "ip -6 addr change 2a01:4f8::99/64 dev lo preferred_lft 0",  # deprecated: not counted
    ])
    assert found == expected == ["81.2.69.142", "2a01:4f8::1"]
    assert "subprocess" not in modules


def test_a_private_primary_or_two_stable_addresses_ask_ip():
    found, expected, modules = detect_both([
        "ip addr add 10.1.1.1/8 dev lo",  # the primary address is private
        "ip addr add 81.2.69.142/24 dev lo",
        "ip -6 addr add 2a01:4f8::1/64 dev lo nodad",
        "ip -6 addr add 2a01:4f8::2/64 dev lo nodad",  # `ip` lists the newest first
    ])
    assert found == expected == ["81.2.69.142", "2a01:4f8::2"]
    assert "subprocess" in modules
