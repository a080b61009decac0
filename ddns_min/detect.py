"""IP rules: where this host's address comes from.

Rules are tried in order; the first that yields an address of the wanted family wins. Whatever a
rule returns is parsed as an address first; `public` and `url:` answers must also be global unicast,
because an echo service behind a proxy or a captive portal can answer with anything.
"""

from ddns_min import addr, compat, log, processes, transport
from ddns_min.errors import DetectError, NetworkError

# Echo services that answer with the caller's address as plain text, one per family, tried in order.
PUBLIC = {
    4: ("https://api.ipify.org", "https://ipv4.icanhazip.com", "https://4.ipw.cn"),
    6: ("https://api6.ipify.org", "https://ipv6.icanhazip.com", "https://6.ipw.cn"),
}
# A cmd:/shell: rule gets at most this long (and never more than the run has left).
COMMAND_TIMEOUT = 30
# Only used to pick the route; a UDP connect() sends no packet.
ROUTE_TARGET = {4: "1.1.1.1", 6: "2606:4700:4700::1111"}


def detect(rules, family, cafile=None):
    """-> (address, [why each earlier candidate was rejected]). Raises DetectError if none fits."""
    ip, rejected, _ = which(rules, family, cafile)
    return ip, rejected


def which(rules, family, cafile=None):
    """-> (address, rejected, the rule that found it). A prefix: rule finds "ADDRESS/LENGTH"."""
    rejected = []
    for rule in rules:
        try:
            ip = _apply(rule, family, cafile, rejected)
        except (DetectError, NetworkError) as exc:
            rejected.append("%s: %s" % (rule, exc))
            continue
        if ip:
            return ip, rejected, rule
    raise DetectError("no IPv%d address found (%s)" % (family, "; ".join(rejected) or "no rule"))


def _apply(rule, family, cafile, rejected):
    if isinstance(rule, int):
        found = host_addresses(family)
        if rule >= len(found):
            raise DetectError("this host has only %d IPv%d addresses" % (len(found), family))
        return found[rule]
    if rule == "default":
        return default_route_address(family)
    if rule == "public":
        from ddns_min import dnsecho
        for server, name, qtype, qclass in dnsecho.QUERIES[family]:
            ip = _from_dns(server, 53, name, qtype, qclass, family, rejected)
            if ip:
                return ip
        for url in PUBLIC[family]:
            ip = _from_url(url, family, cafile, rejected)
            if ip:
                return ip
        return None
    if rule.startswith("url:"):
        return _from_url(rule[4:], family, cafile, rejected)
    if rule.startswith("dns:"):
        from ddns_min import dnsecho
        server, port = addr.host_port(rule[4:], 53)
        return _from_dns(server, port, "whoami.cloudflare", dnsecho.TXT, dnsecho.CH, family,
                         rejected)
    if rule.startswith("interface:"):
        ip = kernel_address(family, rule[10:])
        if ip:
            return ip
        found = host_addresses(family, rule[10:])
        if not found:
            raise DetectError("interface %s has no IPv%d address" % (rule[10:], family))
        return _prefer_global(found, family)
    if rule.startswith("prefix:"):
        return rule[7:] if "/" in rule else interface_prefix(rule[7:])
    if rule.startswith("regex:"):
        import re
        pattern = re.compile(rule[6:])
        for ip in host_addresses(family):
            if pattern.match(ip):
                return ip
        raise DetectError("no IPv%d address of this host matches" % family)
    if rule.startswith("cmd:") or rule.startswith("shell:"):
        shell = rule.startswith("shell:")
        command = rule[6:] if shell else rule[4:].split()
        status, out, err = processes.run_command(command, shell,
                                              transport.bounded(COMMAND_TIMEOUT, rule))
        if status is None:
            raise DetectError("command did not finish within this run's time budget")
        if status != 0:
            raise DetectError("command failed with status %s: %s" % (status, err.strip()[:100]))
        return _first_address(out, family)
    return addr.parse(rule, family)  # a literal address, checked when the config was read


def _from_url(url, family, cafile, rejected):
    host = transport.host_of(url)
    try:
        status, _, text = transport.request("GET", url, {"Accept": "text/plain"}, None,
                                            cafile=cafile, redirects=3)
    except NetworkError as exc:
        rejected.append("%s: %s" % (host, exc))
        return None
    if status != 200:
        rejected.append("%s: HTTP %s" % (host, status))
        return None
    ip = _answer_address(text, family)
    if ip is None:
        rejected.append("%s: answer is not an IPv%d address: %r"
                        % (host, family, " ".join(text.split())[:40]))
        return None
    return _public(host, ip, family, rejected)


def _public(source, ip, family, rejected):
    """`ip` if it can be this host's public address, else None with the reason noted."""
    why = addr.public_reject_reason(ip, family)
    if why:
        rejected.append("%s: %s is %s, not this host's public address" % (source, ip, why))
        return None
    return ip


def _from_dns(server, port, name, qtype, qclass, family, rejected):
    from ddns_min import dnsecho
    try:
        ip = dnsecho.ask(server, port, name, qtype, qclass, family)
    except DetectError as exc:
        rejected.append("dns %s: %s" % (server, exc))
        return None
    return _public("dns " + server, ip, family, rejected)


def _answer_address(text, family):
    """The whole answer is the address, or a line `ip=ADDR` (Cloudflare's /cdn-cgi/trace)."""
    text = text.strip()
    ip = addr.parse(text, family)
    if ip is None:
        for line in text.split("\n"):
            if line.startswith("ip="):
                ip = addr.parse(line[3:], family)
    return ip


def _first_address(text, family):
    for token in text.replace(",", " ").split():
        ip = addr.parse(token.split("/")[0], family)
        if ip:
            return ip
    raise DetectError("output has no IPv%d address: %r" % (family, " ".join(text.split())[:40]))


def _prefer_global(found, family):
    for ip in found:
        if addr.reject_reason(ip, family) is None:
            return ip
    return found[0]


def default_route_address(family):
    """Source address the kernel would use for the default route."""
    socket = compat.socket_module()
    sock = None
    try:
        sock = socket.socket(socket.AF_INET if family == 4 else socket.AF_INET6, socket.SOCK_DGRAM)
        sock.connect(compat.sockaddr(socket, ROUTE_TARGET[family], 53, family))
        getname = getattr(sock, "getsockname", None)
        if getname is not None:
            ip = addr.parse(getname()[0], family)
            if ip:
                return ip
    except compat.OS_ERRORS as exc:
        raise DetectError("no IPv%d default route (%s)" % (family, exc))
    finally:
        if sock is not None:
            sock.close()
    # MicroPython sockets have no getsockname(): ask the kernel's routing table instead.
    status, out, _ = processes.run_command(["ip", "-%d" % family, "route", "get",
                                         ROUTE_TARGET[family]], False,
                                        transport.bounded(COMMAND_TIMEOUT, "ip route"))
    words = out.split()
    if status == 0 and "src" in words and words.index("src") + 1 < len(words):
        return addr.parse(words[words.index("src") + 1], family)
    raise DetectError("no IPv%d default route" % family)


def kernel_address(family, interface):
    """The global address `interface:` would pick, when the kernel tells it without `ip` (on
    CPython, running `ip` costs more than all the rest of a run with nothing to do): IPv4's
    primary address, or IPv6's one stable address (/proc/net/if_inet6: not temporary (0x01), not
    deprecated (0x20)). None when that is not a global address, or not the only one: then `ip`
    lists them all."""
    if family == 4:
        ip = addr.parse(compat.ipv4_of_interface(interface) or "", 4)
        return ip if ip and addr.reject_reason(ip, 4) is None else None
    found = []
    for words in _if_inet6():
        if words[5] == interface and not int(words[4], 16) & 0x21:
            ip = addr.parse(":".join(words[0][i:i + 4] for i in range(0, 32, 4)), 6)
            if ip and addr.reject_reason(ip, 6) is None:
                found.append(ip)
    return found[0] if len(found) == 1 else None


def interface_prefix(interface):
    """"NETWORK/LENGTH" of the first stable global IPv6 address of `interface` (the kernel's
    /proc/net/if_inet6: no `ip` needed)."""
    for words in _if_inet6():
        if words[5] == interface and not int(words[4], 16) & 0x21:
            ip = addr.parse(":".join(words[0][i:i + 4] for i in range(0, 32, 4)), 6)
            if ip and addr.reject_reason(ip, 6) is None:
                from ddns_min import hosts
                bits = int(words[2], 16)
                return addr.format_ipv6(hosts.take(addr.ipv6_bytes(ip), bits)) + "/%d" % bits
    raise DetectError("interface %s has no global IPv6 prefix" % interface)


def _if_inet6():
    try:
        with open("/proc/net/if_inet6") as f:
            lines = f.read().split("\n")
    except compat.OS_ERRORS:
        return []
    return [words for words in [line.split() for line in lines] if len(words) == 6]


def host_addresses(family, interface=None):
    """This host's addresses of `family` (optionally of one interface), from `ip -o addr`."""
    command = ["ip", "-o", "-%d" % family, "addr", "show"]
    if interface:
        command += ["dev", interface]
    status, out, err = processes.run_command(command, False,
                                          transport.bounded(COMMAND_TIMEOUT, "ip addr"))
    if status != 0:
        if interface:
            raise DetectError("cannot read addresses of interface %s: %s"
                              % (interface, err.strip()[:100] or "`ip` failed"))
        raise DetectError("cannot list this host's addresses (`ip` failed)")
    found, later = [], []
    for line in out.split("\n"):
        words = line.split()
        kind = "inet" if family == 4 else "inet6"
        if kind not in words or words.index(kind) + 1 >= len(words):
            continue
        ip = addr.parse(words[words.index(kind) + 1].split("/")[0], family)
        if not ip:
            continue
        # Privacy (temporary) and deprecated IPv6 addresses change daily: use them last.
        (later if "temporary" in words or "deprecated" in words else found).append(ip)
    log.debug("IPv%d addresses%s: %s" % (family, " of " + interface if interface else "",
                                         ", ".join(found + later) or "none"))
    return found + later
