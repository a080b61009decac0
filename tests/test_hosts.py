"""IPv6 host records (ddns_min/hosts.py): "name=HOST[/N]" in "ipv6" -> the rule's prefix + the
host part; the syntax in every source, the composition against Python's ipaddress, and the
records at the Cloudflare emulator following a new prefix (CPython and MicroPython)."""
import json
import sys

import pytest

from clirun import run
from ddns_min import config, hosts
from ddns_min.errors import ConfigError

TOKEN = "cf-token-hosts-9Qx"
OLD = "2a01:4f8:c17:b00::"  # two delegated /56 prefixes, as a router's ISP hands them out
NEW = "2a01:4f8:c17:c00::"
HOSTS = ["nas.example.com=::1234:5678", "cam.example.com=mac:02:11:22:33:44:55",
         "srv.example.com=0:0:0:5::10/56"]


def expected(prefix):
    head = prefix.rstrip(":")  # "2a01:4f8:c17:b00"
    return {"nas.example.com": head + "::1234:5678",
            "cam.example.com": head + ":11:22ff:fe33:4455",
            "srv.example.com": head[:-2] + "05::10"}


# ---- the syntax -------------------------------------------------------------------------------

def dry(args, tmpdir, env=None):
    res = run(["--dry-run", "--json"] + args, tmpdir, env=env)
    return res, (dict((r["domain"], r) for r in res.json["records"]) if res.code == 0 else None)


@pytest.mark.parametrize("source", ["json", "env", "argv"])
def test_every_source_reads_host_parts(tmpdir, source):
    want = expected(OLD)
    rule = "prefix:%s/56" % OLD
    if source == "json":
        path = tmpdir.join("c.json")
        path.write(json.dumps({"ipv6": HOSTS, "index6": rule}))
        res, recs = dry(["-c", str(path)], tmpdir)
    elif source == "env":
        res, recs = dry([], tmpdir, {"DDNS_IPV6": ",".join(HOSTS), "DDNS_INDEX6": rule})
    else:
        res, recs = dry(["--ipv6"] + HOSTS + ["--index6", rule], tmpdir)
    assert res.code == 0, res
    assert dict((d, r["ip"]) for d, r in recs.items()) == want
    assert recs["srv.example.com"]["prefix"] == "2a01:4f8:c17:b00::/56 from " + rule
    assert recs["nas.example.com"]["prefix"] == "2a01:4f8:c17:b00::/64 from " + rule


def test_dry_run_text_names_each_address_and_its_prefix(tmpdir):
    res = run(["--dry-run", "--ipv6", "nas.example.com=::1234:5678", "home.example.com",
               "--index6", "2a01:4f8:c17:b0e::1"], tmpdir)
    assert res.code == 0, res
    assert "nas.example.com AAAA: would set 2a01:4f8:c17:b0e::1234:5678" in res.err
    assert "(prefix 2a01:4f8:c17:b0e::/64 from 2a01:4f8:c17:b0e::1)" in res.err
    assert "home.example.com AAAA: would set 2a01:4f8:c17:b0e::1 (" in res.err  # the router's own


@pytest.mark.parametrize("rule, why", [
    ("fd12:3456:789a:1::1", "the prefix fd12:3456:789a:1::/64 is unique local (fc00::/7), not a "
                            "global prefix (from fd12:3456:789a:1::1)"),
    ("prefix:fe80::/64", "the prefix fe80::/64 is link-local (fe80::/10), not a global prefix"),
    ("2001:db8:1:2::1", "is documentation (2001:db8::/32)"),
])
def test_a_prefix_that_is_not_global_is_refused(tmpdir, rule, why):
    res = run(["--dry-run", "--json", "--ipv6", "nas.example.com=::1234", "--index6", rule], tmpdir)
    assert res.code == 1, res
    [rec] = res.json["records"]
    assert rec["action"] == "failed" and why in rec["error"], rec


@pytest.mark.parametrize("entry, why", [
    ("nas.example.com=2a01::1234", "its first 64 bits are not zero"),
    ("nas.example.com=::1/130", "the prefix length after / must be 1..127"),
    ("nas.example.com=mac:02:11:22:33:44", "mac: needs a MAC address"),
    ("nas.example.com=mac:03:11:22:33:44:55", "a multicast MAC address"),
    ("nas.example.com=mac:02:11:22:33:44:55/72", "at most /64"),
    ("nas.example.com=nas", "not an IPv6 host part"),
    ("nas..example.com=::1", "malformed domain name"),
])
def test_a_bad_host_part_is_a_config_error(entry, why):
    with pytest.raises(ConfigError) as err:
        config.validate({"ipv6": [entry], "index6": "2a01:4f8:c17:b0e::1"}, dry_run=True)
    assert why in str(err.value)


def test_host_parts_are_ipv6_only_and_one_per_name():
    with pytest.raises(ConfigError) as err:
        config.validate({"ipv4": ["nas.example.com=::1"]}, dry_run=True)
    assert "for IPv6 names only" in str(err.value)
    with pytest.raises(ConfigError) as err:
        config.validate({"ipv6": ["nas.example.com=::1", "nas.example.com=::2"]}, dry_run=True)
    assert "twice with different host parts" in str(err.value)
    with pytest.raises(ConfigError) as err:
        config.validate({"ipv6": ["nas.example.com", "nas.example.com=::2"]}, dry_run=True)
    assert "twice with different host parts" in str(err.value)
    conf = config.validate({"ipv6": ["Nas.Example.com=::AB", "nas.example.com=::ab"]},
                           dry_run=True)
    assert conf["names"][6] == ["nas.example.com"] and conf["hosts"] == {
        "nas.example.com": "::ab"}


def test_a_prefix_rule_needs_host_parts_and_is_ipv6_only():
    with pytest.raises(ConfigError) as err:
        config.validate({"ipv6": ["nas.example.com=::1", "router.example.com"],
                         "index6": "prefix:2a01:4f8:c17:b00::/56"}, dry_run=True)
    assert "router.example.com needs one" in str(err.value)
    with pytest.raises(ConfigError) as err:
        config.validate({"ipv4": ["a.example.com"], "index4": "prefix:eth0"}, dry_run=True)
    assert "prefix: is an IPv6 rule" in str(err.value)
    with pytest.raises(ConfigError) as err:
        config.validate({"ipv6": ["a.example.com=::1"], "index6": "prefix:2a01::/200"},
                        dry_run=True)
    assert "prefix:ADDRESS/LENGTH" in str(err.value)


def test_prefix_rules_serve_host_records_and_the_other_rules_plain_names(tmpdir):
    res, recs = dry(["--ipv6", "nas.example.com=::1234:5678", "router.example.com", "--index6",
                     "prefix:%s/56" % OLD, "2a01:4f8:1:2::3"], tmpdir)
    assert res.code == 0, res
    assert recs["nas.example.com"]["ip"] == expected(OLD)["nas.example.com"]
    assert recs["router.example.com"]["ip"] == "2a01:4f8:1:2::3"
    # a prefix: rule that finds nothing: host records go on with the other rules' address
    res, recs = dry(["--ipv6", "nas.example.com=::1234:5678", "router.example.com", "--index6",
                     "prefix:no-such-if0", "2a01:4f8:1:2::3"], tmpdir)
    assert res.code == 0, res
    assert recs["nas.example.com"]["ip"] == "2a01:4f8:1:2::1234:5678"
    assert recs["nas.example.com"]["prefix"] == "2a01:4f8:1:2::/64 from 2a01:4f8:1:2::3"
    assert "prefix:no-such-if0: interface no-such-if0 has no global IPv6 prefix" in res.err


# ---- the composition, against Python's ipaddress ----------------------------------------------

def test_eui64_of_a_known_mac():
    # RFC 4291 appendix A / RFC 2464 section 4: 34-56-78-9A-BC-DE -> 3656:78ff:fe9a:bcde
    assert hosts.eui64("34:56:78:9a:bc:de") == [0x36, 0x56, 0x78, 0xff, 0xfe, 0x9a, 0xbc, 0xde]
    assert hosts.eui64("0211.2233.4455") == hosts.eui64("02-11-22-33-44-55")


if sys.version_info[0] > 2:
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import given, settings, strategies as st
    import ipaddress
    import os
    settings.register_profile("ci", derandomize=True, database=None)
    if os.environ.get("CI") == "true":
        settings.load_profile("ci")

    BYTES16 = st.lists(st.integers(0, 255), min_size=16, max_size=16)

    @settings(max_examples=1000, deadline=None)
    @given(BYTES16, BYTES16, st.integers(1, 128))
    def test_compose_is_prefix_bits_then_suffix_bits(prefix, suffix, bits):
        net = ipaddress.IPv6Network((bytes(bytearray(prefix)), bits), strict=False)
        host = int(ipaddress.IPv6Address(bytes(bytearray(suffix)))) & int(net.hostmask)
        want = ipaddress.IPv6Address(int(net.network_address) | host)
        got = hosts.compose(prefix, suffix, bits)
        assert ipaddress.IPv6Address(bytes(bytearray(got))) == want
        assert ipaddress.IPv6Address(bytes(bytearray(hosts.take(prefix, bits)))) == \
            net.network_address

    SPECIAL = [ipaddress.IPv6Network(n) for n in ("2001:db8::/32", "3fff::/20", "2001:2::/48",
                                                  "2001::/23", "2002::/16")]

    def global_unicast(ip):
        return ip in ipaddress.IPv6Network("2000::/3") and not [n for n in SPECIAL if ip in n]

    @settings(max_examples=1000, deadline=None)
    @given(BYTES16, BYTES16, st.integers(1, 127), st.booleans())
    def test_address_of_any_prefix_and_host_part(prefix, suffix, bits, in_2000):
        if in_2000:  # half of the prefixes in 2000::/3, where the global ones are
            prefix[0] = 0x20 | (prefix[0] & 0x1f)
        net = ipaddress.IPv6Network((bytes(bytearray(prefix)), bits), strict=False)
        host = ipaddress.IPv6Address(int(ipaddress.IPv6Address(bytes(bytearray(suffix)))) &
                                     int(net.hostmask))
        base = ipaddress.IPv6Address(bytes(bytearray(prefix)))
        want = ipaddress.IPv6Address(int(net.network_address) | int(host))
        try:
            ip, used = hosts.address(str(base), "%s/%d" % (host, bits))
        except ValueError as exc:
            assert not (global_unicast(base) and global_unicast(want)), exc
            return
        assert global_unicast(base) and global_unicast(want)
        assert ipaddress.IPv6Address(ip) == want and ip == str(want)  # RFC 5952 text too
        assert used == str(net)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.integers(0, 255), min_size=6, max_size=6), st.integers(0, 4))
    def test_mac_suffix_is_the_modified_eui64(mac, sep):
        mac[0] &= 0xfe  # unicast
        text = [":", "-", ""][sep % 3].join("%02x" % b for b in mac) if sep < 3 else \
            ".".join("%02x%02x" % (mac[i], mac[i + 1]) for i in (0, 2, 4))
        if sep == 4:
            text = text.upper()
        host, bits = hosts.parse("mac:" + text)
        eui = bytes(bytearray([mac[0] ^ 2] + mac[1:3] + [0xff, 0xfe] + mac[3:]))
        assert (bytes(bytearray(host)), bits) == (b"\0" * 8 + eui, 64)


# ---- end to end: the records at the Cloudflare emulator follow the prefix ----------------------

def conf_file(tmpdir, cf, index6):
    data = {"dns": "cloudflare", "token": TOKEN, "endpoint": cf.url, "ipv6": HOSTS,
            "index6": index6, "cache": str(tmpdir.join("state.json"))}
    path = tmpdir.join("config.json")
    path.write(json.dumps(data))
    return str(path)


def aaaa(cf):
    return dict((n, cf.records(name=n, type="AAAA")[0]["content"]) for n in expected(OLD))


def test_three_host_records_follow_a_new_prefix(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    for name, ip in expected(OLD).items():
        cloudflare.add_record("example.com", name, "AAAA", ip)
    first = client(["-c", conf_file(tmpdir, cloudflare, "prefix:%s/56" % OLD), "--json"])
    assert first.code == 0, first
    assert sorted(r["action"] for r in first.json["records"]) == ["unchanged"] * 3
    sent = len(cloudflare.requests)
    again = client(["-c", conf_file(tmpdir, cloudflare, "prefix:%s/56" % OLD), "--json"])
    assert again.code == 0 and [r["action"] for r in again.json["records"]] == ["cached"] * 3
    assert len(cloudflare.requests) == sent  # the prefix has not changed: not one request
    new = client(["-c", conf_file(tmpdir, cloudflare, "prefix:%s/56" % NEW), "--json"])
    assert new.code == 0, new
    assert sorted(r["action"] for r in new.json["records"]) == ["updated"] * 3
    assert aaaa(cloudflare) == expected(NEW)
    assert dict((r["domain"], r["old_ip"]) for r in new.json["records"]) == expected(OLD)
    writes = [r for r in cloudflare.requests[sent:] if r.method != "GET"]
    assert len(writes) == 1 and len(writes[0].json["patches"]) == 3  # one batch for the zone
    sent = len(cloudflare.requests)
    # the same prefix seen through one of the router's own addresses: still nothing to send
    same = client(["-c", conf_file(tmpdir, cloudflare, NEW + "1"), "--json"])
    assert same.code == 0 and [r["action"] for r in same.json["records"]] == ["cached"] * 3
    assert len(cloudflare.requests) == sent


def test_host_records_are_created_beside_the_routers_own(client, tmpdir, cloudflare):
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    path = tmpdir.join("config.json")
    path.write(json.dumps({"dns": "cloudflare", "token": TOKEN, "endpoint": cloudflare.url,
                           "ipv6": "router.example.com nas.example.com=::1234:5678",
                           "index6": NEW + "1", "cache": str(tmpdir.join("state.json"))}))
    res = client(["-c", str(path), "--json"])
    assert res.code == 0, res
    assert cloudflare.records(name="router.example.com", type="AAAA")[0]["content"] == NEW + "1"
    assert cloudflare.records(name="nas.example.com", type="AAAA")[0]["content"] == \
        expected(NEW)["nas.example.com"]


# ---- network namespaces: the kernel's own SLAAC address as the oracle -------------------------

# Inside a fresh namespace: a veth pair; one end sends a Router Advertisement with a global /64
# (autonomous flag), the other end's kernel forms its SLAAC address from the prefix and the EUI-64
# of its MAC (addr_gen_mode 0); printed once it is there.
SLAAC = r"""
import socket, struct, subprocess, sys, time
mac, prefix = sys.argv[1], sys.argv[2]
def sysctl(path, value):
    with open("/proc/sys/net/ipv6/conf/" + path, "w") as f:
        f.write(value)
sh = lambda *a: subprocess.check_call(a)
sh("ip", "link", "set", "lo", "up")
sysctl("default/accept_dad", "0")
sysctl("default/addr_gen_mode", "0")
sh("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1")
sh("ip", "link", "set", "v1", "address", mac)
for dev in ("v0", "v1"):
    sysctl(dev + "/accept_dad", "0")
    sysctl(dev + "/addr_gen_mode", "0")
sysctl("v1/accept_ra", "2")
sysctl("v1/autoconf", "1")
sh("ip", "link", "set", "v0", "up")
sh("ip", "link", "set", "v1", "up")
def addrs(dev, scope):
    out = subprocess.check_output(["ip", "-6", "-o", "addr", "show", "dev", dev, "scope", scope])
    return [l.split()[3].split("/")[0] for l in out.decode().splitlines()]
def index(dev):  # socket.if_nametoindex is Python 3 only
    return int(subprocess.check_output(["ip", "-o", "link", "show", dev]).split(b":")[0])
deadline = time.time() + 10
while not addrs("v0", "link") and time.time() < deadline:
    time.sleep(0.05)
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index("v0"))
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 0, 0, 0)
pio = struct.pack("!BBBBIII", 3, 4, 64, 0xc0, 86400, 14400, 0) + socket.inet_pton(
    socket.AF_INET6, prefix)
while time.time() < deadline:
    s.sendto(ra + pio, ("ff02::1", 0, 0, index("v0")))
    time.sleep(0.2)
    found = addrs("v1", "global")
    if found:
        print(found[0])
        print(addrs("v1", "link")[0])
        break
else:
    sys.exit("the kernel formed no SLAAC address on v1")
"""


def in_namespace(script, argv):
    """`script` (Python, then `argv` as a command) in a new network namespace -> stdout lines."""
    import os
    import subprocess
    from clirun import ROOT
    if os.geteuid() != 0 or subprocess.call(["unshare", "-n", "true"]) != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run as root with unshare (network namespaces)")
        pytest.skip("needs root and unshare -n")
    shell = '"$0" -c "$1" "$2" "$3" || exit 99; shift 3; exec "$@"'  # 99: the setup failed
    proc = subprocess.Popen(["unshare", "-n", "sh", "-c", shell] + list(script) + list(argv),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONPATH=ROOT, MICROPYPATH=ROOT))
    out, err = proc.communicate()
    assert proc.returncode in (0, 1), err.decode()[-3000:]  # 1: a record failed, as asked
    return out.decode().splitlines(), err.decode()


def interpreter_command(name):
    if name == "micropython":
        from interpreters import require_micropython
        return [require_micropython()]
    return [sys.executable]


@pytest.mark.parametrize("mac", ["02:11:22:33:44:55", "00:1b:21:0a:bc:de", "fe:ff:ff:ff:ff:fe"])
@pytest.mark.parametrize("interpreter", ["python3", "micropython"])
def test_mac_host_part_is_the_kernels_slaac_address(mac, interpreter):
    prefix = "2a01:4f8:c17:b0e::"
    lines, err = in_namespace(
        [sys.executable, SLAAC, mac, prefix],
        interpreter_command(interpreter) + [
            "-m", "ddns_min", "--dry-run", "--json", "--index6", "prefix:v1",
            "--ipv6", "cam.example.com=mac:" + mac, "nas.example.com=::1234:5678"])
    kernel, link_local = lines[0], lines[1]
    recs = dict((r["domain"], r) for r in json.loads(lines[2])["records"])
    assert recs["cam.example.com"]["ip"] == kernel, err  # the kernel's own EUI-64 + prefix
    # the kernel's link-local address has the same EUI-64 identifier (RFC 4862 section 5.3)
    from ddns_min import addr
    assert addr.ipv6_bytes(link_local)[:8] == [0xfe, 0x80] + [0] * 6
    assert addr.ipv6_bytes(link_local)[8:] == addr.ipv6_bytes(kernel)[8:]
    assert recs["cam.example.com"]["prefix"] == prefix + "/64 from prefix:v1"
    assert recs["nas.example.com"]["ip"] == prefix + "1234:5678"


# A dummy interface with addresses as `ip` sets them; then the client.
ADDRESSES = r"""
import subprocess, sys
sh = lambda *a: subprocess.check_call(a)
sh("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1")  # no dummy module needed
sh("ip", "link", "set", "d0", "up")
for a in sys.argv[1].split():
    sh("ip", "-6", "addr", "add", a, "dev", "d0", "nodad")
"""


def run_in(addresses, *argv):
    lines, err = in_namespace([sys.executable, ADDRESSES, addresses, "-"],
                              [sys.executable, "-m", "ddns_min", "--dry-run", "--json"] +
                              list(argv))
    return dict((r["domain"], r) for r in json.loads(lines[-1])["records"]), err


def test_prefix_and_interface_rules_on_a_real_interface():
    hosts_ = ["--ipv6", "nas.example.com=::1234", "srv.example.com=0:0:0:5::10/56"]
    recs, err = run_in("2a01:4f8:c17:b0e::1/56", "--index6", "prefix:d0", *hosts_)
    # prefix: the interface's /56 network: its first /64 for ::1234, subnet 05 for srv
    assert recs["nas.example.com"]["ip"] == "2a01:4f8:c17:b00::1234", err
    assert recs["srv.example.com"]["ip"] == "2a01:4f8:c17:b05::10"
    assert recs["nas.example.com"]["prefix"] == "2a01:4f8:c17:b00::/64 from prefix:d0"
    # interface: the address itself: its own /64 (subnet 0e)
    recs, err = run_in("2a01:4f8:c17:b0e::1/56", "--index6", "interface:d0", *hosts_)
    assert recs["nas.example.com"]["ip"] == "2a01:4f8:c17:b0e::1234", err


def test_a_unique_local_interface_prefix_is_refused():
    recs, err = run_in("fd12:3456:789a:1::1/64", "--index6", "interface:d0", "--ipv6",
                       "nas.example.com=::1234")
    assert recs["nas.example.com"]["action"] == "failed"
    assert "the prefix fd12:3456:789a:1::/64 is unique local (fc00::/7), not a global prefix" in \
        recs["nas.example.com"]["error"]
    recs, err = run_in("fd12:3456:789a:1::1/64", "--index6", "prefix:d0", "--ipv6",
                       "nas.example.com=::1234")
    assert "interface d0 has no global IPv6 prefix" in recs["nas.example.com"]["error"]


def test_an_unchanged_run_with_host_records_loads_no_heavy_module(cloudflare, tmpdir):
    """As tests/test_footprint.py for plain names: warm state, same prefix -> no request, and
    none of the modules that make a run slow and big."""
    from test_footprint import HEAVY, LAUNCHER, imported
    cloudflare.tokens[TOKEN] = None
    cloudflare.add_zone("example.com")
    for name, ip in expected(OLD).items():
        cloudflare.add_record("example.com", name, "AAAA", ip)
    path = conf_file(tmpdir, cloudflare, "prefix:%s/56" % OLD)
    tmpdir.join("config.json").chmod(0o600)
    assert run(["-c", path], tmpdir).code == 0  # warms the state
    sent = len(cloudflare.requests)
    names = imported([LAUNCHER, "-c", path], tmpdir)
    assert len(cloudflare.requests) == sent
    assert "ddns_min.hosts" in names  # the probe saw the composition run
    heavy = sorted(n for n in names if n.split(".")[0] in HEAVY)
    assert heavy == [], "an unchanged run imported %s" % heavy
