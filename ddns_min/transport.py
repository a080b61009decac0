"""One HTTP request, the same way on every runtime.

    request(method, url, headers, body, timeout, cafile) -> (status, headers, text)

`headers` in the answer has lower-case names. HTTP error statuses are answers, not exceptions,
except redirects (a 3xx is never followed with credentials); anything that is no answer (DNS,
connect, TLS, timeout, too large) raises NetworkError with the host named and never the query
string (it can hold a secret). Every runtime uses ddns_min.sockhttp over socket + ssl (see there
why not urllib), imported only when a request is made, so a run with nothing to do never pays
for ssl. The run's clock (start_run/remaining) bounds every request, DNS query and command.
"""

import time

from ddns_min import compat
from ddns_min.errors import NetworkError

DEFAULT_TIMEOUT = 10
RUN_BUDGET = 120
_run = {"deadline": None, "budget": RUN_BUDGET}


def host_of(url):
    """'https://user@host:443/path?q' -> 'host' (for messages: never the path or query)."""
    rest = url.split("://", 1)[-1]
    for sep in "/?#":
        rest = rest.split(sep, 1)[0]
    rest = rest.rsplit("@", 1)[-1]
    if rest.startswith("["):
        return rest[1:].split("]", 1)[0]
    return rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest


def check_clock():
    """A router boots with its clock at 1970 until NTP answers; no certificate is valid then.
    Say so plainly (exit 1, the next run will work) instead of failing TLS in confusing ways."""
    import time
    from ddns_min import RELEASED
    if time.time() < RELEASED:
        from ddns_min.log import timestamp
        raise NetworkError("the system clock says %s, before this release of ddns_min: TLS "
                           "certificates cannot be checked until the clock is set (NTP); "
                           "try again later" % timestamp())


class Redirected(NetworkError):
    """A 3xx that was not followed: an answer, so not worth repeating like a lost connection."""


def start_run(seconds=None):
    """Start this run's clock (updater.run does, once per pass). Every request, DNS query and
    command after it gets what is left of `seconds` at most: RUN_BUDGET, or DDNS_MIN_RUN_BUDGET
    from the environment (a knob for tests and for operators who run ddns_min more often)."""
    if seconds is None:
        try:
            seconds = float(compat.getenv("DDNS_MIN_RUN_BUDGET") or RUN_BUDGET)
        except ValueError:
            seconds = RUN_BUDGET
    if seconds == int(seconds):
        seconds = int(seconds)
    _run["budget"], _run["deadline"] = seconds, time.time() + seconds


def end_run():
    """Requests after the run (library use in the same process) are bounded per request only."""
    _run["deadline"] = None


def remaining():
    """Seconds left of this run (RUN_BUDGET when no run was started: library use)."""
    if _run["deadline"] is None:
        return RUN_BUDGET
    return _run["deadline"] - time.time()


def budget_error(what):
    return NetworkError("%s: this run's time budget of %s s is used up; giving up until the next "
                        "run" % (what, _run["budget"]))


def bounded(seconds, what):
    """min(seconds, what is left of the run); NetworkError when nothing is."""
    left = remaining()
    if left <= 0.05:
        raise budget_error(what)
    return min(seconds, left)


def request(method, url, headers=None, body=None, timeout=DEFAULT_TIMEOUT, cafile=None,
            proxy=None, redirects=0):
    """One request, all of it within min(timeout, what is left of the run). A 3xx answer is an
    error naming the host and where it pointed; only with `redirects` (echo rules, which carry
    no secret) is it followed, to https only and at most that many times, with no headers of
    ours but Accept and User-Agent.
    proxy: None or "SYSTEM" (the environment's), "DIRECT", or "HOST:PORT"."""
    from ddns_min import sockhttp
    headers = headers or {}
    while True:
        host = host_of(url)
        if url.startswith("https:"):
            check_clock()
        status, resp_headers, text = sockhttp.request(
            method, url, headers, body, bounded(timeout, host), cafile, proxy)
        if not 300 <= status < 400:
            return status, resp_headers, text
        where = resp_headers.get("location") or ""
        if where.startswith("/") and not where.startswith("//"):
            where = url.split("://", 1)[0] + "://" + url.split("://", 1)[1].split("/", 1)[0] + where
        target = host_of(where) if "://" in where else (where[:60] or "nowhere")
        if redirects <= 0 or not where.startswith("https://") or method != "GET":
            raise Redirected("%s answered HTTP %d (redirect to %s not followed%s)"
                               % (host, status, target, "" if redirects <= 0 or
                                  where.startswith("https://") else ": not https"))
        redirects -= 1
        url = where
        headers = dict((k, v) for k, v in headers.items() if k.lower() in ("accept", "user-agent"))
