"""Static check of ddns_min's source for what OpenWrt's MicroPython (1.23 on 24.10, 1.20 on 23.05) or
CPython 2.7 runs wrongly although it compiles: the runtime traps of design.md section 3. Syntax that
2.7 or MicroPython refuses to compile (f-strings, walrus, ...) is left to compileall and the
MicroPython import tests.

Each finding is reported as path:line: what. A use that is guarded (behind compat.MICROPYTHON, a
try/except, a CPython-only branch) is allowed in ALLOWED by file, enclosing function and trap, with
the reason; an allowance that no longer matches anything fails too, so the list cannot rot.
"""
import ast
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PACKAGE = os.path.join(ROOT, "ddns_min")

# Exception classes of CPython 3 that MicroPython (1.20 to 1.28) does not have: `except
# FileNotFoundError` raises NameError there the moment an error is to be caught.
MISSING_NAMES = (
    "IOError", "EnvironmentError", "FileNotFoundError", "FileExistsError", "PermissionError",
    "TimeoutError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
    "ConnectionAbortedError", "BrokenPipeError", "InterruptedError", "IsADirectoryError",
    "NotADirectoryError", "ChildProcessError", "ProcessLookupError", "BlockingIOError",
    "UnicodeDecodeError", "UnicodeEncodeError", "RecursionError", "ModuleNotFoundError")
# Modules MicroPython does not have (design.md: only behind compat.py).
MISSING_MODULES = ("subprocess", "logging", "tempfile", "ipaddress", "urllib", "urllib2",
                   "signal", "hmac", "argparse", "__future__", "fcntl", "syslog")
# str/bytes methods MicroPython lacks (checked on 1.28: hasattr(str, name) is False).
MISSING_METHODS = ("zfill", "ljust", "rjust", "title", "capitalize", "swapcase", "expandtabs",
                   "casefold", "isalnum", "translate", "maketrans", "format_map", "removeprefix",
                   "removesuffix")
BUILTIN_EXCEPTIONS = ("BaseException", "Exception", "ValueError", "OSError", "RuntimeError",
                      "KeyError", "TypeError")

# (path under ddns_min/, enclosing function or "<module>", trap) -> why it is fine there.
ALLOWED = {
    ("compat.py", "<module>", "name IOError"):
        "inside try/except NameError: becomes compat.IOError_, OSError on MicroPython",
    ("compat.py", "getenv", "os.environ"):
        "only when not compat.MICROPYTHON (MicroPython takes os.getenv)",
    ("processes.py", "_popen", "import subprocess"):
        "called by run_command only when not compat.MICROPYTHON (MicroPython: os.system)",
    ("compat.py", "ipv4_of_interface", "import fcntl"):
        "inside try/except ImportError: MicroPython gets None",
    ("compat.py", "ipv4_of_interface", "str/bytes method ljust"):
        "after the fcntl import, which MicroPython cannot do",
    ("loop.py", "forever", "import signal"):
        "inside try/except ImportError: MicroPython stops on Ctrl-C",
    ("log.py", "setup", "import syslog"):
        "inside try/except ImportError: a ConfigError that says what to do instead",
}


def sources():
    """Every module of ddns_min, as (path relative to ddns_min/, path)."""
    found = []
    for dirpath, dirnames, files in os.walk(PACKAGE):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                found.append((os.path.relpath(path, PACKAGE).replace(os.sep, "/"), path))
    return sorted(found)


def text_of(node):
    """The value of a string literal node (2.7 and 3.6-3.7: ast.Str; 3.8+: ast.Constant), else None."""
    kind = type(node).__name__
    if kind == "Str":
        return node.s
    if kind == "Constant" and isinstance(node.value, str):
        return node.value
    return None


def dotted(node):
    """`a.b.c` of a Name/Attribute chain, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return base + "." + node.attr if base else None
    return None


def is_classmethod(node):
    return any(dotted(d) == "classmethod" for d in node.decorator_list)


def tuple_names(tree):
    """Names (and attribute names) bound to a tuple literal anywhere in the module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.add(target.id)
                elif isinstance(target, ast.Attribute):
                    names.add(target.attr)
    return names


class Finder(ast.NodeVisitor):
    def __init__(self, tree):
        self.found = []  # (line, enclosing function, trap)
        self.scope = ["<module>"]
        self.in_classmethod = [False]
        self.tuples = tuple_names(tree)

    def add(self, node, what):
        self.found.append((node.lineno, self.scope[-1], what))

    def visit_FunctionDef(self, node):
        self.scope.append(node.name)
        self.in_classmethod.append(is_classmethod(node) or self.in_classmethod[-1])
        self.generic_visit(node)
        self.in_classmethod.pop()
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Name(self, node):
        if node.id in MISSING_NAMES:
            self.add(node, "name " + node.id)

    def visit_Attribute(self, node):
        name = dotted(node)
        if name in ("os.environ", "os.path", "time.strftime", "time.strptime"):
            self.add(node, name)
        if node.attr == "hexdigest":
            self.add(node, "hexdigest (use binascii/compat.hexlify)")
        if node.attr in ("sendall", "makefile"):
            self.add(node, "socket ." + node.attr + " (MicroPython sockets may lack it)")
        self.generic_visit(node)

    def visit_Import(self, node):
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in MISSING_MODULES:
                self.add(node, "import " + top)
            if alias.name == "os.path":
                self.add(node, "os.path")

    def visit_ImportFrom(self, node):
        top = (node.module or "").split(".")[0]
        if top in MISSING_MODULES and not node.level:
            self.add(node, "import " + top)
        for alias in node.names:
            full = "%s.%s" % (node.module, alias.name)
            if full in ("os.environ", "os.path", "time.strftime", "time.strptime"):
                self.add(node, full)

    def visit_Call(self, node):
        func = node.func
        name = dotted(func)
        if name == "super":
            if self.in_classmethod[-1]:
                self.add(node, "super() in a classmethod (wrong object before MicroPython 1.24)")
            if not node.args:
                self.add(node, "super() without arguments (CPython 2.7 needs super(Cls, self))")
        if name == "next" and len(node.args) > 1:
            self.add(node, "next(it, default) (MicroPython < 1.25 has one argument only)")
        if name == "print" and len(node.args) > 1:
            self.add(node, "print with more than one argument (prints a tuple on 2.7)")
        if isinstance(func, ast.Attribute) and func.attr in ("startswith", "endswith") and \
                node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Tuple) or (isinstance(arg, (ast.Name, ast.Attribute)) and
                                              (dotted(arg) or "").split(".")[-1] in self.tuples):
                self.add(node, "str.%s with a tuple (MicroPython < 1.25)" % func.attr)
        if isinstance(func, ast.Attribute) and func.attr in MISSING_METHODS:
            self.add(node, "str/bytes method " + func.attr)
        if name in ("json.dumps", "json.dump") and node.keywords:
            self.add(node, "%s with keywords %s (MicroPython's json takes none of them)"
                     % (name, ", ".join(sorted(k.arg or "**" for k in node.keywords))))
        if isinstance(func, ast.Attribute) and func.attr == "__init__" and \
                dotted(func.value) in BUILTIN_EXCEPTIONS:
            self.add(node, "%s.__init__(self, ...) (use super(Cls, self).__init__)"
                     % dotted(func.value))
        if name in ("re.compile", "re.match", "re.search", "re.sub", "re.split") and node.args:
            pattern = text_of(node.args[0]) or ""
            if "{" in pattern:
                self.add(node, "regex with {m,n} (MicroPython's re silently fails it)")
        self.generic_visit(node)

    def visit_Print(self, node):  # 2.7 parses print("a", b) as the statement printing a tuple
        if len(node.values) == 1 and isinstance(node.values[0], ast.Tuple):
            self.add(node, "print with more than one argument (prints a tuple on 2.7)")
        self.generic_visit(node)

    def generic_visit(self, node):  # string literals (Str, Constant) have no visit_ of their own
        pattern = text_of(node)
        if pattern is not None and "(?P<" in pattern:
            self.add(node, "named regex group (?P< (MicroPython's re has none)")
        ast.NodeVisitor.generic_visit(self, node)


def find_traps(path):
    with open(path, "rb") as f:
        tree = ast.parse(f.read(), path)
    finder = Finder(tree)
    finder.visit(tree)
    return finder.found


def scan():
    """-> (findings not allowed as 'path:line: what' lines, allowances that were used)."""
    bad, used = [], set()
    for rel, path in sources():
        for line, scope, what in find_traps(path):
            key = (rel, scope, what)
            if key in ALLOWED:
                used.add(key)
            else:
                bad.append("ddns_min/%s:%d: %s (in %s)" % (rel, line, what, scope))
    return bad, used


def test_the_check_sees_every_module():
    rels = [rel for rel, _ in sources()]
    assert "cli.py" in rels and "providers/dnspod.py" in rels, rels


def test_no_micropython_or_py27_traps():
    bad, _ = scan()
    assert not bad, "constructs that fail on MicroPython 1.20/1.23 or CPython 2.7:\n" + \
        "\n".join(bad)


def test_every_allowance_is_still_needed():
    _, used = scan()
    stale = sorted(set(ALLOWED) - used)
    assert not stale, "ALLOWED entries that match nothing any more (remove them): %s" % stale


SAMPLE = '''
import os, subprocess
from time import strftime
class A(B):
    PREFIXES = ("a", "b")
    @classmethod
    def make(cls, x):
        super(A, cls).make(x)
        if x.startswith(("a", "b")) or x.endswith(cls.PREFIXES):
            return next(iter(x), None)
        return os.environ.get("X"), os.path.join("a", "b")
    def __init__(self, msg):
        super().__init__(msg)
        Exception.__init__(self, msg)
        print("a", msg)
def f(data):
    import hashlib, json, re
    re.compile("(?P<name>a)")
    re.compile("a{1,3}")
    try:
        return hashlib.sha256(data).hexdigest(), json.dumps(data, sort_keys=True), "7".zfill(3)
    except (IOError, FileNotFoundError, TimeoutError):
        pass
'''


def test_the_check_finds_each_trap(tmpdir):
    """Every trap above is found, on its line: the check can fail."""
    path = tmpdir.join("sample.py")
    path.write(SAMPLE)
    found = find_traps(str(path))
    what = [w.split(" (")[0] for _, _, w in found]
    for trap in ("import subprocess", "time.strftime", "super() in a classmethod",
                 "str.startswith with a tuple", "str.endswith with a tuple", "next(it, default)",
                 "os.environ", "os.path", "super() without arguments", "Exception.__init__(self, ...)",
                 "print with more than one argument", "named regex group", "regex with {m,n}",
                 "hexdigest", "json.dumps with keywords sort_keys", "str/bytes method zfill",
                 "name IOError", "name FileNotFoundError", "name TimeoutError"):
        assert trap in what, (trap, found)
    lines = dict((w.split(" (")[0], line) for line, _, w in found)
    assert lines["super() in a classmethod"] == 8 and lines["name TimeoutError"] == 22, found
    scopes = dict((w.split(" (")[0], scope) for _, scope, w in found)
    assert scopes["super() in a classmethod"] == "make" and scopes["hexdigest"] == "f", found
