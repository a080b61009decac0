"""Loop mode (`interval`): one run after another, for containers and systemd services that keep
ddns_min running instead of calling it from cron.

Each pass is a normal run with the same guarantees. Between passes: the interval plus a little
random jitter (so that many clients do not hit a provider in step), and after failures a longer
wait, doubling up to an hour. SIGTERM (CPython) or Ctrl-C ends the loop cleanly: a pass cut short
leaves the state file as it was (writes are atomic) and the run lock is released. MicroPython has
no signal module, so there SIGTERM ends the process where it stands: the state file is still
whole (atomic writes), and a lock it held names a pid that is gone, which the next run takes over
at once. On OpenWrt the loop is the run script's (procd), not this one.
"""

import random
import time

from ddns_min import log, updater

MAX_BACKOFF = 3600


class Stop(Exception):
    pass


def next_wait(interval, failures, rng=random):
    """Seconds until the next pass: interval, doubled per consecutive failed pass (at most an
    hour, never less than the interval), plus up to 10% (at most 30 s) of jitter."""
    wait = interval
    if failures:
        wait = max(interval, min(interval * (2 ** min(failures, 16)), MAX_BACKOFF))
    return wait + rng.uniform(0, min(30, wait * 0.1))


def _on_sigterm(signum, frame):
    raise Stop()


def forever(confs, report_cb):
    try:
        import signal
        signal.signal(signal.SIGTERM, _on_sigterm)
    except (ImportError, AttributeError, ValueError):
        pass  # MicroPython: Ctrl-C (KeyboardInterrupt) is the way to stop
    failures = 0
    try:
        while True:
            report = updater.run_all(confs)
            report_cb(report)
            failures = failures + 1 if report["exit_code"] else 0
            wait = next_wait(confs[0]["interval"], failures)
            log.debug("next check in %d s" % wait)
            time.sleep(wait)
    except (Stop, KeyboardInterrupt):
        log.info("stopped")
        return 0
