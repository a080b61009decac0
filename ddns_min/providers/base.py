"""What every provider shares: the HTTP call with its retry rules, JSON decoding, and stopping
all calls to a provider after it refused us."""

import time

from ddns_min import USER_AGENT, compat, log, transport
from ddns_min.errors import APIError, AuthError, ConfigError, NetworkError, RateLimited

# Reads are retried after a network error or a 5xx answer, at most RETRIES more times, waiting
# 1 s then 2 s. Writes are never retried blindly: a write that timed out may have been applied,
# and sending it again could set a value the record already holds (DNSPod bans for that); the
# next run reads the record first. A 429 with Retry-After up to MAX_RETRY_AFTER s is waited out
# once. Every request gets what is left of the run's time budget (transport.RUN_BUDGET, started by
# updater.run) at most, so a run always ends.
RETRIES = 2
MAX_RETRY_AFTER = 30
# At most this many requests to one provider in one run: far below Cloudflare's 1,200 per 5
# minutes and DNSPod's limits even when runs follow each other; a config with hundreds of names
# finishes over several runs instead of tripping a ban.
MAX_REQUESTS = 100


class Provider(object):
    name = ""
    default_endpoint = ""
    # May a changed address be written straight to a remembered record id without reading it
    # first? Only where writing a value the record already holds is harmless.
    blind_write = False
    # False for update-only APIs (dyndns2, callbacks): nothing to read, the state file decides.
    can_read = True
    needs = ("token",)  # settings without which no request can be made
    log_paths = True  # False where a URL path may itself be a secret (callback webhooks)
    # >1 where write_batch() sends that many writes of one zone in one request (Cloudflare).
    batch_size = 0

    def __init__(self, conf):
        self.conf = conf
        self.endpoint = conf.get("endpoint") or self.default_endpoint
        self.refused = None  # the error that ended all calls to this provider for the run
        self.requests = 0
        self.answered = False  # some request got a real API answer (so the credentials worked)
        # prefetch()'s zone listings: zone -> {(name in lower case, type): [records]}; a zone
        # listed here was read whole, so a name missing from it has no record
        self.listing = {}

    @classmethod
    def check(cls, conf):
        """Provider-specific config checks, before any request."""

    @classmethod
    def normalize_credentials(cls, conf):
        """Other spellings of the credentials -> ours (a hook: subclasses override it instead
        of calling super() in a classmethod, which MicroPython before 1.24 gets wrong)."""

    @classmethod
    def check_credentials(cls, conf):
        cls.normalize_credentials(conf)
        for key in cls.needs:
            if not conf.get(key):
                raise ConfigError('config: "%s" is not set (%s needs it: %s)'
                                  % (key, cls.name, cls.needs_help.get(key, "see README")))

    needs_help = {"token": "the API token of your account", "id": "the account or token ID"}

    def prefetch(self, wanted):
        """Read the records of many [(name, type)] at once, one listing per zone, before find()
        is asked for each; find() then takes them from self.listing. Default: nothing (every
        find reads on its own). A listing that would take more requests than the names it
        serves is not made."""

    def list_zone(self, zone, wanted, page_of):
        """Fill self.listing[zone] with the records of `wanted` {(name, type)}: page_of(n) ->
        ([(name, type, record)], number of pages) for page n = 0, 1, ... Gives up (no listing:
        each name is then read on its own) when the zone has more pages than names to read."""
        table, page = {}, 0
        while True:
            found, pages = page_of(page)
            for name, rtype, rec in found:
                key = (name.lower().rstrip("."), rtype)
                if key in wanted:
                    table.setdefault(key, []).append(rec)
            if pages > len(wanted):
                return
            page += 1
            if page >= pages or not found:
                break
        self.listing[zone] = table

    def list_domains(self, wanted, list_one, missing):
        """prefetch() for APIs whose domain is found by trying zone_candidates (DNSPod, Tencent
        Cloud, AliDNS, Porkbun, ClouDNS): names are grouped by their known domain, else by the
        shortest candidate (a guess that costs nothing); each group of two or more is listed with
        list_one(zone, [(name, type)] of the group under that zone) -> what self.zones keeps for
        those names, trying the next candidate when it raises `missing` (no such domain)."""
        groups = {}
        for name, rtype in wanted:
            groups.setdefault(self._known_zone(name) or zone_candidates(name)[0][0],
                              []).append((name, rtype))
        for names in groups.values():
            if len(names) < 2:
                continue
            for zone, _ in zone_candidates(names[0][0], self._known_zone(names[0][0])):
                mine = [(n, t) for n, t in names if n == zone or n.endswith("." + zone)]
                try:
                    kept = list_one(zone, mine)
                except missing:
                    continue
                for n, _ in mine:
                    self.zones[n] = kept
                break

    def _known_zone(self, name):
        known = self.zones.get(name)
        return known[0] if isinstance(known, tuple) else known

    def write_batch(self, writes):
        """[(op "create"/"update", name, type, address, record)] of one zone -> their new
        records, in one request that is applied whole or not at all (an error: nothing done)."""
        raise NotImplementedError

    def listed(self, zone, name, rtype, ip, empty):
        """-> the record for name/type from zone's listing, `empty` when the listing has none,
        None when the zone was not listed."""
        table = self.listing.get(zone)
        if table is None:
            return None
        return pick(table.get((name.lower().rstrip("."), rtype)) or [], ip, empty)

    def call(self, method, path, headers, body=None, read=False):
        """One API request -> (status, headers, text); `read` marks it safe to repeat."""
        headers = dict(headers)
        headers["User-Agent"] = USER_AGENT
        attempt = 0
        while True:
            if self.refused is not None:
                raise self.refused
            if self.requests >= MAX_REQUESTS:
                self.refused = RateLimited("%s: this run's budget of %d requests is used up; "
                                           "the rest waits for the next run"
                                           % (self.name, MAX_REQUESTS))
                raise self.refused
            if transport.remaining() <= 0.05:
                raise transport.budget_error(self.name)
            attempt += 1
            self.requests += 1
            shown = path.split("?", 1)[0] if self.log_paths else transport.host_of(path)
            log.debug("%s %s %s" % (self.name, method, shown))
            try:
                status, resp_headers, text = self._through_proxies(method, path, headers, body)
                compat.collect()
            except NetworkError as exc:
                if not read or attempt > RETRIES or isinstance(exc, transport.Redirected) or \
                        transport.remaining() <= attempt + 1:  # the pause, then a try
                    raise
                log.debug("%s: %s; retrying" % (self.name, exc))
                self._pause(attempt)
                continue
            log.debug("%s answered HTTP %s" % (self.name, status))
            if status == 429 and attempt == 1:
                wait = _seconds(resp_headers.get("retry-after"))
                if wait is not None and wait <= MAX_RETRY_AFTER and \
                        wait < transport.remaining():
                    log.warning("%s asks to slow down; waiting %d s" % (self.name, wait))
                    time.sleep(wait)
                    continue
            if status >= 500 and read and attempt <= RETRIES:
                self._pause(attempt)
                continue
            return status, resp_headers, text

    def _through_proxies(self, method, path, headers, body):
        """Each configured proxy in turn (`ddns`: "HOST:PORT;DIRECT"), until one answers."""
        proxies = self.conf.get("proxy") or [None]
        for i, proxy in enumerate(proxies):
            try:
                return transport.request(method, self.endpoint + path, headers, body,
                                         cafile=self.conf.get("cafile"), proxy=proxy)
            except NetworkError as exc:
                if i + 1 == len(proxies):
                    raise
                log.debug("%s: via %s: %s; trying %s" % (self.name, proxy, exc, proxies[i + 1]))

    def _pause(self, attempt):
        time.sleep(min(attempt, max(0, transport.remaining())))

    def refuse(self, message):
        self.refused = AuthError(message)
        raise self.refused

    def decode(self, status, text):
        """JSON body -> dict; anything else (an HTML error page, a cut answer, JSON nested deeper
        than the parser's stack) is a NetworkError."""
        try:
            data = compat.json_loads(text)
        except (ValueError, RuntimeError, MemoryError):  # RecursionError is a RuntimeError
            data = None
        if not isinstance(data, dict):
            snippet = " ".join(text.split())[:60]
            raise NetworkError("%s answered HTTP %s with something that is not its API's JSON: %r"
                               % (self.name, status, snippet))
        return data

    # -- checks of what an answer holds: the wrong shape is a one-line error, never a traceback
    def expect(self, value, kinds, field):
        """`value` from an answer must be a dict, a list or text (`str`)."""
        if not isinstance(value, (str, compat.text_type) if kinds is str else kinds):
            raise APIError('%s: unexpected answer: "%s" is %s' % (self.name, field,
                                                                   _shape(value)))
        return value

    def number(self, value, field, default=None):
        """A whole number from an answer (often sent as text): 0 <= n < 10**9, else an error."""
        if value is None or value == "":
            return default
        if not isinstance(value, bool):
            try:
                text = str(value)
                if text.isdigit() and len(text) < 10:
                    return int(text)
            except (ValueError, UnicodeError):
                pass
        raise APIError('%s: unexpected answer: "%s" is %s, not a number'
                       % (self.name, field, _shape(value)))

    def ident(self, value, field, also="-_"):
        """An id that goes into a URL path or a form: letters, digits, "-" and "_" only, so an
        answer cannot steer a write elsewhere with "/", "..", "?", "#" or a line break."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        ok = isinstance(value, (str, compat.text_type)) and 0 < len(value) <= 64
        for ch in (value if ok else ""):
            if not (ch.isalpha() or ch.isdigit() or ch in also) or ord(ch) > 127:
                ok = False
        if not ok:
            raise APIError('%s: unexpected answer: "%s" is %s, not an id'
                           % (self.name, field, _shape(value)))
        return compat.to_native(value)

    def differs(self, rec, ip):
        """True when the record must be written: another address, or a configured ttl off."""
        if rec.get("ip") != ip:
            return True
        ttl = self.conf.get("ttl")
        return ttl is not None and rec.get("ttl") is not None and int(rec["ttl"]) != ttl


def same_name(a, b):
    """DNS names compare without case and without a trailing dot."""
    if not isinstance(a, (str, compat.text_type)) or not isinstance(b, (str, compat.text_type)):
        return False
    return a.lower().rstrip(".") == b.lower().rstrip(".")


def pick(found, ip, empty):
    """The record among several of one name and type: the one holding `ip`, else the first
    (the others are left alone), else `empty` (no record: one is created)."""
    for rec in found:
        if rec.get("ip") == ip:
            return rec
    return found[0] if found else empty


def _shape(value):
    if value is None:
        return "missing or null"
    if isinstance(value, (str, compat.text_type)):
        return '"%s"' % compat.to_native(value)[:40]
    return "of type %s" % type(value).__name__


def _seconds(value):
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return None


def sub_name(name, zone):
    """The part of `name` under `zone` ("@" for the zone itself)."""
    return name[:-len(zone) - 1] if name != zone else "@"


def zone_candidates(name, known=None):
    """-> [(zone, sub-domain)] to try for `name`, shortest zone first (most names sit one level
    under a registered domain; "a.example.com.cn" tries com.cn, then example.com.cn)."""
    labels = name.split(".")
    zones = [known] if known else [".".join(labels[i:]) for i in range(len(labels) - 2, -1, -1)]
    return [(zone, name[:-len(zone) - 1] if name != zone else "@") for zone in zones]
