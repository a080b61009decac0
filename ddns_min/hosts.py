"""IPv6 host records: a name in "ipv6" may carry its host's own part, `NAME=HOST[/N]`, and its
AAAA record is then the current prefix (the first N bits, default 64, of what the IPv6 rule
found) followed by the host part (the last 128 - N bits):

    nas.example.com=::1234:5678            the /64 prefix + interface identifier ::1234:5678
    cam.example.com=mac:02:11:22:33:44:55  the /64 prefix + the MAC's EUI-64 identifier (SLAAC
                                           without privacy extensions)
    srv.example.com=0:0:0:5::10/56         the /56 prefix + subnet 05 + ::10

The host part is an IPv6 address whose first N bits are zero, or `mac:` and a MAC address
(`:`, `-` or `.` separated; then N is at most 64). Addresses are lists of 16 byte values, as in
addr.py: no 128-bit integers, no `ipaddress`.
"""

from ddns_min import addr

_HEX = "0123456789abcdef"


def split(entry):
    """"name=host" -> (name, host); a plain name -> (name, None)."""
    name, sep, host = entry.partition("=")
    return name, (host.strip() if sep else None)


def parse(text):
    """A host part -> (16 byte values, N); ValueError with the reason when it is not one."""
    text = text.strip().lower()
    body, sep, bits = text.partition("/")
    if sep:
        if not bits.isdigit() or not 1 <= int(bits) <= 127:
            raise ValueError("the prefix length after / must be 1..127")
        bits = int(bits)
    else:
        bits = 64
    if body.startswith("mac:"):
        if bits > 64:
            raise ValueError("a MAC address gives a 64-bit identifier: the prefix is at most /64")
        return [0] * 8 + eui64(body[4:]), bits
    host = addr.ipv6_bytes(body)
    if host is None:
        raise ValueError("not an IPv6 host part (e.g. ::1234:5678) nor mac:MAC")
    if take(host, bits) != [0] * 16:
        raise ValueError("its first %d bits are not zero: they are the prefix's, which comes from "
                         "the IPv6 rule (write the host part alone, e.g. ::1234:5678)" % bits)
    return host, bits


def eui64(mac):
    """A MAC (02:11:22:33:44:55, 02-11-..., 0211.2233.4455) -> the 8 bytes of its modified
    EUI-64 interface identifier (RFC 4291 appendix A): ff:fe in the middle, U/L bit flipped."""
    digits = mac.replace(":", "").replace("-", "").replace(".", "")
    if len(digits) != 12 or [c for c in digits if c not in _HEX]:
        raise ValueError("mac: needs a MAC address like 02:11:22:33:44:55")
    b = [int(digits[i:i + 2], 16) for i in range(0, 12, 2)]
    if b[0] & 1:
        raise ValueError("a multicast MAC address is no host's")
    return [b[0] ^ 2, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]]


def take(b, bits):
    """The first `bits` bits of 16 byte values, the rest zero."""
    full, rest = bits // 8, bits % 8
    out = b[:full] + [0] * (16 - full)
    if rest:
        out[full] = b[full] & ((0xff << (8 - rest)) & 0xff)
    return out


def compose(prefix, host, bits):
    """Prefix address (16 bytes) + host part -> 16 bytes: first `bits` from the prefix."""
    head, mask = take(prefix, bits), take([0xff] * 16, bits)
    return [head[i] | (host[i] & (0xff ^ mask[i])) for i in range(16)]


def address(found, entry):
    """What the IPv6 rule found ("ADDR" or "ADDR/LEN" from a prefix: rule) + a name's host part
    -> (composed address, "P/N" prefix used). ValueError when the prefix is not global."""
    base = found.split("/")[0]
    host, bits = parse(entry)
    prefix = addr.format_ipv6(take(addr.ipv6_bytes(base), bits)) + "/%d" % bits
    why = addr.reject_reason(base, 6)
    if why:
        raise ValueError("the prefix %s is %s, not a global prefix" % (prefix, why))
    ip = addr.format_ipv6(compose(addr.ipv6_bytes(base), host, bits))
    why = addr.reject_reason(ip, 6)
    if why:
        raise ValueError("%s (prefix %s) is %s" % (ip, prefix, why))
    return ip, prefix
