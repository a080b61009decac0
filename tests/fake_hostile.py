"""Hostile servers on loopback: they trickle, stall, never end, lie about sizes, redirect, answer
garbage, trickle a TLS handshake, or send cut DNS packets. Each records what it was sent, so a test
can prove that a request never reached another origin."""
import socket
import struct
import threading
import time

from fake_http import in_background, loopback_socket, read_head


class Hostile(object):
    """A TCP server: reads each request head, then plays `behaviour(conn)` (a name below or a
    function). Records the request heads in `seen`."""

    def __init__(self, behaviour, **params):
        self.sock, self.port = loopback_socket(socket.SOCK_STREAM)
        self.sock.listen(16)
        self.behaviour, self.params, self.seen = behaviour, params, []
        self.running, self.conns = True, []
        in_background(self.serve)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except (OSError, socket.error):
                return
            self.conns.append(conn)
            in_background(lambda c=conn: self.one(c))

    def one(self, conn):
        conn.settimeout(30)
        try:
            head = read_head(conn)
            if not head:
                return
            self.seen.append(head)
            getattr(self, self.behaviour)(conn)
        except (OSError, socket.error):
            pass
        finally:
            try:
                conn.close()
            except (OSError, socket.error):
                pass

    def alive(self):
        return self.running

    def drip(self, conn, data, delay):
        for i in range(len(data)):
            if not self.alive():
                return
            conn.sendall(data[i:i + 1])
            time.sleep(delay)

    # -- behaviours
    def trickle_head(self, conn):
        """A status line, then an endless header, one byte per `delay` s."""
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        self.drip(conn, b"X-Slow: " + b"a" * 100000, self.params.get("delay", 0.3))

    def trickle_body(self, conn):
        body = b'{"success": true, "result": []}' + b" " * 100000
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body))
        self.drip(conn, body, self.params.get("delay", 0.3))

    def stall_after_head(self, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n")
        while self.alive():
            time.sleep(0.1)

    def endless_chunked(self, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
        while self.alive():
            conn.sendall(chunk)

    def huge_length(self, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 200000000\r\n\r\n")
        self.flood(conn)

    def huge_no_length(self, conn):
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n")
        self.flood(conn)

    def endless_head(self, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while self.alive():
            conn.sendall(b"X-Filler: " + b"y" * 1000 + b"\r\n")

    def flood(self, conn):
        block = b" " * 65536
        while self.alive():
            conn.sendall(block)

    def garbage(self, conn):
        conn.sendall(self.params.get("answer", b"SSH-2.0-OpenSSH_9.2\r\n\r\n"))

    def redirect(self, conn):
        body = b"moved"
        conn.sendall(b"HTTP/1.1 %d Moved\r\nLocation: %s\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n%s" % (self.params["status"],
                                                       self.params["location"].encode(),
                                                       len(body), body))

    def answer(self, conn):
        body = self.params["body"]
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n%s" % (len(body), body))

    def close(self):
        self.running = False
        self.sock.close()
        for conn in self.conns:
            try:
                conn.close()
            except (OSError, socket.error):
                pass


class TrickleRelay(object):
    """A TCP relay in front of `port` that passes the server's bytes on one per `delay` s: a TLS
    handshake (and every TLS record) arrives a byte at a time."""

    def __init__(self, port, delay=0.2):
        self.target, self.delay = port, delay
        self.sock, self.port = loopback_socket(socket.SOCK_STREAM)
        self.sock.listen(16)
        self.running, self.conns = True, []
        in_background(self.serve)

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except (OSError, socket.error):
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.conns += [conn, upstream]
            in_background(lambda a=conn, b=upstream: self.pump(a, b, 0))
            in_background(lambda a=conn, b=upstream: self.pump(b, a, self.delay))

    def pump(self, src, dst, delay):
        try:
            while self.running:
                data = src.recv(4096)
                if not data:
                    break
                if not delay:
                    dst.sendall(data)
                    continue
                for i in range(len(data)):
                    if not self.running:
                        return
                    dst.sendall(data[i:i + 1])
                    time.sleep(delay)
        except (OSError, socket.error):
            pass

    def close(self):
        self.running = False
        self.sock.close()
        for conn in self.conns:
            try:
                conn.close()
            except (OSError, socket.error):
                pass


class CutDNS(object):
    """Answers each query with its own id but a packet cut after `keep` bytes of a whoami reply
    (or `packet(query)` if given)."""

    def __init__(self, keep):
        self.sock, self.port = loopback_socket(socket.SOCK_DGRAM)
        self.keep, self.queries = keep, []
        self.lock = threading.Lock()
        in_background(self.serve)

    def serve(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(1500)
            except (OSError, socket.error):
                return
            self.queries.append(data)
            question = data[12:]
            rdata = b"\x0b81.2.69.142"
            reply = data[:2] + struct.pack("!HHHHH", 0x8180, 1, 1, 0, 0) + question + \
                struct.pack("!HHHIH", 0xc00c, 16, 3, 0, len(rdata)) + rdata
            self.sock.sendto(reply[:self.keep] if self.keep is not None else reply, peer)

    def close(self):
        self.sock.close()
