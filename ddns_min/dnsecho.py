"""Our public address from one UDP DNS query: no TLS, no ssl import, one packet each way.

Cloudflare's resolvers answer `whoami.cloudflare` (class CH, type TXT) with the address the query
came from; OpenDNS answers `myip.opendns.com` (A/AAAA) likewise. The answer is unauthenticated, so
it gets the same checks as any echo answer (global unicast, not anycast) and a random query id
and source port; `public` falls back to HTTPS echo services when no resolver answers.
"""

from ddns_min import addr, compat
from ddns_min.errors import DetectError

TXT, A, AAAA, IN, CH = 16, 1, 28, 1, 3
QUERIES = {
    4: (("1.1.1.1", "whoami.cloudflare", TXT, CH), ("208.67.222.222", "myip.opendns.com", A, IN)),
    6: (("2606:4700:4700::1111", "whoami.cloudflare", TXT, CH),
        ("2620:119:35::35", "myip.opendns.com", AAAA, IN)),
}


def _packet(qid, name, qtype, qclass):
    out = bytearray([qid >> 8, qid & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0])  # RD, one question
    for label in name.split("."):
        out.append(len(label))
        out.extend(compat.to_bytes(label))
    out.extend(bytearray([0, qtype >> 8, qtype & 255, qclass >> 8, qclass & 255]))  # MicroPython
    # before 1.25 extends a bytearray only from a buffer, not from a list
    return bytes(out)


def _skip_name(data, i):
    while True:
        n = data[i]
        if n == 0:
            return i + 1
        if n & 0xc0 == 0xc0:  # compression pointer
            return i + 2
        i += n + 1


def _answers(data, qid, qtype):
    """The answer records of `qtype`; DetectError for anything else, a cut packet included."""
    try:
        return _parse(bytearray(data), qid, qtype)
    except (IndexError, ValueError):  # cut short, or text that is not UTF-8 (MicroPython)
        raise DetectError("cut or malformed DNS answer")


def _parse(data, qid, qtype):
    if len(data) < 12 or (data[0] << 8 | data[1]) != qid or data[3] & 15:
        raise DetectError("bad or failed DNS answer")
    count = data[6] << 8 | data[7]
    i = _skip_name(data, 12) + 4
    out = []
    for _ in range(count):
        i = _skip_name(data, i)
        rtype, length = data[i] << 8 | data[i + 1], data[i + 8] << 8 | data[i + 9]
        rdata = data[i + 10:i + 10 + length]
        i += 10 + length
        if rtype != qtype:
            continue
        if len(rdata) != length:
            raise IndexError("cut")
        if rtype == TXT:
            out.append(compat.to_text(bytes(rdata[1:1 + rdata[0]])))
        elif rtype == A and length == 4:
            out.append(".".join(str(b) for b in rdata))
        elif rtype == AAAA and length == 16:
            out.append(addr.format_ipv6(list(rdata)))
    return out


def ask(server, port, name, qtype, qclass, family, timeout=2):
    """-> the address the resolver saw, parsed for `family`, or DetectError (NetworkError when
    the run has no time left)."""
    import random
    from ddns_min import transport
    timeout = transport.bounded(timeout, "dns " + server)
    socket = compat.socket_module()
    server_family = 6 if ":" in server else 4
    qid = random.getrandbits(16)
    sock = socket.socket(socket.AF_INET6 if server_family == 6 else socket.AF_INET,
                         socket.SOCK_DGRAM)
    try:
        sock.settimeout(timeout)
        sock.connect(compat.sockaddr(socket, server, port, server_family))
        sock.send(_packet(qid, name, qtype, qclass))
        answers = _answers(sock.recv(4096), qid, qtype)
    except compat.OS_ERRORS as exc:
        raise DetectError("no DNS answer from %s (%s)" % (server, exc))
    finally:
        sock.close()
    for text in answers:
        ip = addr.parse(text, family)
        if ip:
            return ip
    raise DetectError("DNS answer from %s holds no IPv%d address" % (server, family))
