"""The `dns:` rule and the first step of `public`: one UDP query to a resolver that echoes our
address (Cloudflare's whoami.cloudflare CH TXT), answered here by a small local DNS server."""
import socket
import struct

import pytest

from fake_http import in_background, loopback_socket


class EchoResolver(object):
    """Answers whoami.cloudflare CH TXT with a fixed text; records each query."""

    def __init__(self, answer_text, family=socket.AF_INET, wrong_id=False):
        self.sock, self.port = loopback_socket(socket.SOCK_DGRAM, family)
        self.answer, self.wrong_id, self.queries = answer_text.encode(), wrong_id, []
        in_background(self.serve)

    def serve(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(1500)
            except (OSError, socket.error):
                return
            self.queries.append(data)
            qid = struct.unpack("!H", data[:2])[0] ^ (1 if self.wrong_id else 0)
            question = data[12:]
            rdata = struct.pack("!B", len(self.answer)) + self.answer
            reply = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question + \
                struct.pack("!HHHIH", 0xc00c, 16, 3, 0, len(rdata)) + rdata
            self.sock.sendto(reply, peer)

    def close(self):
        self.sock.close()


@pytest.fixture
def resolver():
    made = []

    def make(*args, **kwargs):
        r = EchoResolver(*args, **kwargs)
        made.append(r)
        return r
    yield make
    for r in made:
        r.close()


def test_dns_rule_reads_the_echoed_address(client, resolver):
    r = resolver("81.2.69.142")
    res = client(["--dry-run", "--json", "--ipv4", "a.example.com",
                  "--index4", "dns:127.0.0.1:%d" % r.port])
    assert res.code == 0, res
    assert res.json["records"][0]["ip"] == "81.2.69.142"
    [query] = r.queries
    assert b"\x06whoami\x0acloudflare\x00\x00\x10\x00\x03" in query


def test_dns_answers_are_checked_like_any_echo(client, resolver):
    private, anycast, junk = resolver("192.168.1.2"), resolver("104.16.1.1"), resolver("<html>")
    spoofed = resolver("81.2.69.142", wrong_id=True)
    res = client(["--dry-run", "--json", "--ipv4", "a.example.com", "--index4"] +
                 ["dns:127.0.0.1:%d" % r.port for r in (private, anycast, junk, spoofed)])
    assert res.code == 1, res
    assert "private" in res.err and "anycast" in res.err
    assert "no IPv4 address" in res.err and "bad or failed DNS answer" in res.err


def test_dns_rule_syntax_is_checked(client):
    res = client(["--dry-run", "--ipv4", "a.example.com", "--index4", "dns:1.1.1.1:abc"])
    assert res.code == 2 and '"index4"' in res.err
