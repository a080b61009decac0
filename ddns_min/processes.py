"""Processes, on every runtime: this one's pid, whether another is alive, and running a command
with a time limit (subprocess on CPython; MicroPython has none, so os.system there). Split from
compat, which keeps the rest of what differs between runtimes."""

import os

from ddns_min.compat import MICROPYTHON, OS_ERRORS, PY2, file_exists, to_text


def pid():
    """This process's id; None where it cannot be known. MicroPython's os has no getpid, but
    Linux tells every process its own in /proc/self/stat."""
    getpid = getattr(os, "getpid", None)
    if getpid is not None:
        return getpid()
    try:
        with open("/proc/self/stat") as f:
            return int(f.read(32).split(" ", 1)[0])
    except (ValueError,) + OS_ERRORS:
        return None


def process_alive(number):
    """True/False for a process id on Linux (a zombie counts as gone); None where /proc does not
    tell (another system, or /proc not mounted)."""
    try:
        with open("/proc/%d/stat" % number) as f:
            text = f.read(512)
    except OS_ERRORS:
        return False if file_exists("/proc/self/stat") else None
    state = text.rsplit(")", 1)[-1].split()
    return not (state and state[0] in ("Z", "X"))


def run_command(command, shell, timeout=None):
    """Run a command and return (exit status, its stdout as text, its stderr as text); status is
    None when it was killed after `timeout` seconds (with everything it started: its own process
    group on CPython).

    `command` is a string for shell=True, else a list of arguments. MicroPython has no subprocess:
    there the command goes through os.system with stdout sent to a private temporary file, under
    the `timeout` command (coreutils, busybox) when there is one; without it a command there is
    not bounded.
    """
    if not MICROPYTHON:
        return _popen(command, shell, timeout)
    if not shell:
        command = " ".join(shell_quote(a) for a in command)
    tool = None
    for path in ("/usr/bin/timeout", "/bin/timeout"):
        if timeout is not None and file_exists(path):
            tool = path
            break
    tmp = "/tmp/.ddns_min.%d.%d.out" % (pid(), id(command) & 0xffff)
    if tool:
        command = "%s -s KILL %d sh -c %s" % (tool, max(1, int(timeout)), shell_quote(command))
    status = os.system("( " + command + " ) >" + tmp + " 2>" + tmp + ".err </dev/null")
    out = err = ""
    try:
        with open(tmp) as f:
            out = f.read()
        with open(tmp + ".err") as f:
            err = f.read()
    except OS_ERRORS:
        pass
    for name in (tmp, tmp + ".err"):
        try:
            os.remove(name)
        except OS_ERRORS:
            pass
    # os.system gives the wait status; the exit code is its high byte.
    status = (status >> 8) if status > 255 else status
    return (None if tool and status == 137 else status), out, err


def _popen(command, shell, timeout):
    import subprocess
    kwargs = {"shell": shell, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    if timeout is not None:
        if PY2:
            kwargs["preexec_fn"] = os.setsid
        else:
            kwargs["start_new_session"] = True
    try:
        proc = subprocess.Popen(command, **kwargs)
    except OS_ERRORS as exc:
        return 127, "", str(exc)
    killed, timer = [], None
    if timeout is not None:
        import threading

        def kill():
            killed.append(True)
            try:
                os.killpg(proc.pid, 9)
            except OS_ERRORS:
                pass
        timer = threading.Timer(max(0, timeout), kill)
        timer.daemon = True
        timer.start()
    try:
        out, err = proc.communicate()
    finally:
        if timer is not None:
            timer.cancel()
    if killed:
        return None, to_text(out), to_text(err)
    return proc.returncode, to_text(out), to_text(err)


def shell_quote(arg):
    return "'" + arg.replace("'", "'\"'\"'") + "'"
