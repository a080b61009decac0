"""Parse and classify IP addresses without `ipaddress` or `re` (MicroPython has neither of use).

Addresses are handled as lists of byte values so that prefix checks need no 128-bit integers.
"""

_HEX = "0123456789abcdef"


def parse_ipv4(text):
    """Dotted quad -> canonical text, or None. Leading zeros are refused (octal ambiguity)."""
    b = ipv4_bytes(text)
    return None if b is None else ".".join(str(x) for x in b)


def ipv4_bytes(text):
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:
            return None
    parts = text.strip().split(".")
    if len(parts) != 4:
        return None
    out = []
    for p in parts:
        if not p or len(p) > 3 or not p.isdigit() or (len(p) > 1 and p[0] == "0"):
            return None
        n = int(p)
        if n > 255:
            return None
        out.append(n)
    return out


def ipv6_bytes(text):
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:
            return None
    text = text.strip().lower()
    if not text or "%" in text or text.count("::") > 1 or ":" not in text:
        return None
    tail = []
    if "." in text:  # embedded IPv4 in the last 32 bits, e.g. ::ffff:1.2.3.4
        cut = text.rfind(":")
        v4 = ipv4_bytes(text[cut + 1:])
        if v4 is None:
            return None
        tail = v4
        text = text[:cut + 1] + "0:0"
    if "::" in text:
        head, rest = text.split("::")
        left = head.split(":") if head else []
        right = rest.split(":") if rest else []
        missing = 8 - len(left) - len(right)
        if missing < 1:
            return None
        groups = left + ["0"] * missing + right
    else:
        groups = text.split(":")
    if len(groups) != 8:
        return None
    out = []
    for g in groups:
        if not g or len(g) > 4:
            return None
        for ch in g:
            if ch not in _HEX:
                return None
        n = int(g, 16)
        out.append(n >> 8)
        out.append(n & 255)
    if tail:
        out = out[:12] + tail
    return out


def format_ipv6(b):
    """16 byte values -> RFC 5952 text (lower case, longest zero run compressed)."""
    groups = [(b[i] << 8) | b[i + 1] for i in range(0, 16, 2)]
    best_start, best_len, i = -1, 0, 0
    while i < 8:
        if groups[i] == 0:
            j = i
            while j < 8 and groups[j] == 0:
                j += 1
            if j - i > best_len and j - i > 1:
                best_start, best_len = i, j - i
            i = j
        else:
            i += 1
    words = ["%x" % g for g in groups]
    if best_start < 0:
        return ":".join(words)
    return ":".join(words[:best_start]) + "::" + ":".join(words[best_start + best_len:])


def parse_ipv6(text):
    b = ipv6_bytes(text)
    return None if b is None else format_ipv6(b)


def parse(text, family):
    """Text -> canonical address of `family` (4 or 6), or None."""
    return parse_ipv4(text) if family == 4 else parse_ipv6(text)


def family_of(text):
    if parse_ipv4(text) is not None:
        return 4
    if parse_ipv6(text) is not None:
        return 6
    return None


def _in(b, prefix, bits):
    full, rest = bits // 8, bits % 8
    if b[:full] != prefix[:full]:
        return False
    if rest:
        mask = (0xff << (8 - rest)) & 0xff
        return (b[full] & mask) == (prefix[full] & mask)
    return True


# Ranges that are never a home's public address (RFC 6890 special-purpose registries).
_V4_SPECIAL = [
    ([0, 0, 0, 0], 8, "\"this network\" (0.0.0.0/8)"),
    ([10, 0, 0, 0], 8, "private (10.0.0.0/8)"),
    ([100, 64, 0, 0], 10, "carrier-grade NAT (100.64.0.0/10)"),
    ([127, 0, 0, 0], 8, "loopback (127.0.0.0/8)"),
    ([169, 254, 0, 0], 16, "link-local (169.254.0.0/16)"),
    ([172, 16, 0, 0], 12, "private (172.16.0.0/12)"),
    ([192, 0, 0, 0], 24, "IETF protocol assignment (192.0.0.0/24)"),
    ([192, 0, 2, 0], 24, "documentation (192.0.2.0/24)"),
    ([192, 88, 99, 0], 24, "6to4 relay anycast (192.88.99.0/24)"),
    ([192, 168, 0, 0], 16, "private (192.168.0.0/16)"),
    ([198, 18, 0, 0], 15, "benchmarking (198.18.0.0/15)"),
    ([198, 51, 100, 0], 24, "documentation (198.51.100.0/24)"),
    ([203, 0, 113, 0], 24, "documentation (203.0.113.0/24)"),
    ([224, 0, 0, 0], 4, "multicast (224.0.0.0/4)"),
    ([240, 0, 0, 0], 4, "reserved (240.0.0.0/4)"),
]

_V6_SPECIAL = [
    ([0x20, 0x01, 0x0d, 0xb8], 32, "documentation (2001:db8::/32)"),
    ([0x3f, 0xff, 0], 20, "documentation (3fff::/20)"),  # 3 bytes: _in reads byte 2
    ([0x20, 0x01, 0, 0x02, 0, 0], 48, "benchmarking (2001:2::/48)"),
    ([0x20, 0x01, 0, 0], 23, "IETF protocol assignment (2001::/23)"),
    ([0x20, 0x02], 16, "6to4 (2002::/16)"),
]


# Cloudflare's anycast ranges (https://www.cloudflare.com/ips/): an echo service that answers
# with one of these saw us through Cloudflare (WARP, a proxy), not our own address.
_ANYCAST = {
    4: [([173, 245, 48, 0], 20), ([103, 21, 244, 0], 22), ([103, 22, 200, 0], 22),
        ([103, 31, 4, 0], 22), ([141, 101, 64, 0], 18), ([108, 162, 192, 0], 18),
        ([190, 93, 240, 0], 20), ([188, 114, 96, 0], 20), ([197, 234, 240, 0], 22),
        ([198, 41, 128, 0], 17), ([162, 158, 0, 0], 15), ([104, 16, 0, 0], 13),
        ([104, 24, 0, 0], 14), ([172, 64, 0, 0], 13), ([131, 0, 72, 0], 22)],
    6: [([0x24, 0x00, 0xcb, 0x00], 32), ([0x26, 0x06, 0x47, 0x00], 32),
        ([0x28, 0x03, 0xf8, 0x00], 32), ([0x24, 0x05, 0xb5, 0x00], 32),
        ([0x24, 0x05, 0x81, 0x00], 32), ([0x2a, 0x06, 0x98, 0xc0], 29),
        ([0x2c, 0x0f, 0xf2, 0x48], 32)],
}


def public_reject_reason(text, family):
    """Like reject_reason, for answers of public echo services: also refuses provider anycast."""
    why = reject_reason(text, family)
    if why is None:
        b = ipv4_bytes(text) if family == 4 else ipv6_bytes(text)
        for prefix, bits in _ANYCAST[family]:
            if _in(b, prefix, bits):
                return "a Cloudflare anycast address (the echo service saw a proxy or WARP)"
    return why


def reject_reason(text, family):
    """None when `text` is a global unicast address of `family`, else why it is not."""
    if family == 4:
        b = ipv4_bytes(text)
        if b is None:
            return "not an IPv4 address"
        for prefix, bits, why in _V4_SPECIAL:
            if _in(b, prefix, bits):
                return why
        return None
    b = ipv6_bytes(text)
    if b is None:
        return "not an IPv6 address"
    if not _in(b, [0x20], 3):
        if _in(b, [0xfc], 7):
            return "unique local (fc00::/7)"
        if _in(b, [0xfe, 0x80], 10):
            return "link-local (fe80::/10)"
        if _in(b, [0xff], 8):
            return "multicast (ff00::/8)"
        if b == [0] * 15 + [1]:
            return "loopback (::1)"
        return "not global unicast (outside 2000::/3)"
    for prefix, bits, why in _V6_SPECIAL:
        if _in(b, prefix, bits):
            return why
    return None


def host_port(text, default):
    """'host', 'host:port', '[v6]:port' or a bare IPv6 address -> (host, port). ValueError if the
    port is not a number."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else default
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host, int(port)
    return text, default


def is_loopback_host(host):
    """True only for `localhost` or an address literal in 127.0.0.0/8 or ::1 (bracketed or not):
    a name such as 127.0.0.1.example.net resolves wherever its owner likes."""
    try:
        host = str(host).strip().lower()
    except Exception:  # 2.7: non-ASCII unicode
        return False
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host in ("localhost", "localhost."):
        return True
    b = ipv4_bytes(host)
    if b is not None:
        return b[0] == 127
    return ipv6_bytes(host) == [0] * 15 + [1]
