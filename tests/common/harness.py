"""The checks of the Python test drivers (tests/tools_check, tests/tools_exports): a case
stops at its first failed check or command, is listed as failed, and the run goes on;
finish() prints the count and gives the exit status."""
import subprocess

FAILED = []
# What generated C must compile clean with.
WARN = ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-Wmissing-prototypes", "-Wshadow",
        "-Wstrict-prototypes", "-Wpointer-arith", "-Wundef"]


def run(cmd, expect=0, **kw):
    """Runs cmd; an exit status other than expect (None: any) fails the case."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if expect is not None and p.returncode != expect:
        raise AssertionError("%s: exit %d, want %d\nstdout: %s\nstderr: %s" %
                             (" ".join(cmd), p.returncode, expect, p.stdout, p.stderr))
    return p


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def case(name, fn, *a):
    try:
        fn(*a)
        print("PASS", name)
    except AssertionError as e:
        print("FAIL %s: %s" % (name, e))
        FAILED.append(name)


def finish():
    print("%d failed" % len(FAILED))
    return 1 if FAILED else 0
