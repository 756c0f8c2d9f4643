#!/usr/bin/env python3
"""Drives GDB in batch mode through breakpoints in loaded modules and checks backtraces.

run_gdb.py GDB [--qemu MACHINE] [--source SCRIPT] [--ex CMD]... [--exit CODE]
           --expect FRAMES [--expect FRAMES]... -- PROGRAM [ARGS...]

Each --expect is a comma-separated list of function names, the innermost frame first,
e.g. "gdb_lib_leaf@lib.c,gdb_app_middle,gdb_app_main": a breakpoint is set on the first
name (pending: the module is not loaded yet), and when it is hit the backtrace's
frames #0, #1, ... must name these functions in this order; NAME@FILE also wants the
frame's source position in FILE. Stops are expected in the order given. The program
must then run to its end and exit with CODE (default 0).

Natively, GDB runs PROGRAM ARGS. With --qemu, PROGRAM is a firmware image booted on
qemu-system-arm -M MACHINE with semihosting, halted, and GDB attaches to its gdb stub on
a free port. --source and --ex run after attaching or starting, before the breakpoints.
"""
import re
import socket
import subprocess
import sys
import time

FRAME = re.compile(r"^#(\d+)\s+(?:0x[0-9a-fA-F]+ in )?([A-Za-z_][\w.$]*) \(.*?\)(?: at (\S+):(\d+))?")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main(argv):
    if "--" not in argv:
        print(__doc__)
        return 2
    cut = argv.index("--")
    opts, program = argv[1:cut], argv[cut + 1:]
    gdb = opts.pop(0)
    qemu = None
    source = None
    extra = []
    expects = []
    exit_code = 0
    while opts:
        o = opts.pop(0)
        if o == "--qemu":
            qemu = opts.pop(0)
        elif o == "--source":
            source = opts.pop(0)
        elif o == "--ex":
            extra.append(opts.pop(0))
        elif o == "--expect":
            expects.append([f.split("@") for f in opts.pop(0).split(",")])
        elif o == "--exit":
            exit_code = int(opts.pop(0))
        else:
            print("run_gdb.py: unknown option " + o)
            return 2
    if not expects or not program:
        print("run_gdb.py: nothing to check")
        return 2

    cmds = ["set pagination off", "set confirm off", "set width 0"]
    # Not every GDB knows debuginfod; an error in one -ex does not stop the others.
    cmds.append("set debuginfod enabled off")
    qproc = None
    if qemu:
        port = free_port()
        qproc = subprocess.Popen(
            ["qemu-system-arm", "-M", qemu, "-nographic", "-monitor", "none", "-serial", "none",
             "-semihosting-config", "enable=on,target=native", "-kernel", program[0],
             "-S", "-gdb", "tcp:127.0.0.1:%d" % port],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        # The stub listens once QEMU is up; wait for it rather than for a fixed time.
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        # That probe was a connection of its own: QEMU takes the next one again.
        cmds += ["file " + program[0], "target remote 127.0.0.1:%d" % port]
        start = "continue"
    else:
        start = "run"
    if source:
        cmds.append("source " + source)
    cmds += extra
    cmds.append("set breakpoint pending on")
    for e in expects:
        cmds.append("break " + e[0][0])
    cmds += [start, "bt"]
    for _ in expects[1:]:
        cmds += ["continue", "bt"]
    cmds.append("continue")
    line = [gdb, "--batch", "-nx"]
    for c in cmds:
        line += ["-ex", c]
    if not qemu:
        line += ["--args"] + program
    try:
        out = subprocess.run(line, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=120).stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace") + "\nrun_gdb.py: GDB timed out\n"
    if qproc:
        try:
            qout = qproc.communicate(timeout=10)[0].decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            qproc.kill()
            qout = qproc.communicate()[0].decode("utf-8", "replace")
        out += "\n--- QEMU ---\n" + qout
    print(out)

    # Backtraces in the order printed: runs of consecutive frame lines starting at #0.
    traces = []
    for ln in out.splitlines():
        m = FRAME.match(ln)
        if not m:
            continue
        if m.group(1) == "0":
            traces.append([])
        if traces:
            traces[-1].append((m.group(2), m.group(3)))
    ok = True
    if len(traces) != len(expects):
        print("FAIL: %d backtraces, expected %d" % (len(traces), len(expects)))
        ok = False
    for i, (want, got) in enumerate(zip(expects, traces)):
        for k, w in enumerate(want):
            if k >= len(got) or got[k][0] != w[0]:
                print("FAIL: backtrace %d: frame #%d is %s, expected %s"
                      % (i + 1, k, got[k][0] if k < len(got) else "missing", w[0]))
                ok = False
                break
            if len(w) > 1 and (not got[k][1] or not got[k][1].endswith(w[1])):
                print("FAIL: backtrace %d: frame #%d (%s) is at %s, expected a line of %s"
                      % (i + 1, k, w[0], got[k][1], w[1]))
                ok = False
                break
    # GDB prints the code in octal.
    status = "exited normally" if exit_code == 0 else "exited with code 0*%o" % exit_code
    if not re.search(r"\[Inferior 1 \(process \d+\) %s\]" % status, out):
        print("FAIL: the program did not end with status %d" % exit_code)
        ok = False
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
