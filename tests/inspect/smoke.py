#!/usr/bin/env python3
"""Small checks of `elfmod inspect` on a known object and on bad input.

usage: smoke.py text ELFMOD SAMPLE.o      text report of the sample object
       smoke.py errors ELFMOD             non-ELF, empty, missing file; bad usage
       smoke.py escape ELFMOD SAMPLE.o    symbol names with arbitrary bytes in JSON/text
"""
import json
import os
import re
import subprocess
import sys
import tempfile

EXTERNAL = b"elfmod_smoke_external"
failures = []


def expect(cond, what, output=""):
    if not cond:
        failures.append(what + ("\n--- output ---\n" + output if output else ""))


def run(elfmod, *args):
    p = subprocess.run([elfmod] + list(args), capture_output=True,
                       env=dict(os.environ, LC_ALL="C"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check_text(elfmod, sample):
    rc, out, err = run(elfmod, "inspect", sample)
    expect(rc == 0 and err == "", "exit %d, stderr %r" % (rc, err))
    patterns = [
        r"^ELF header:$",
        r"^  class:    ELF(32|64)$",
        r"^  data:     (little|big)-endian$",
        r"^  machine:  \S.* \(\d+\)$",
        r"^  type:     REL \(1\)$",
        r"^  entry:    0x0$",
        r"^Sections \([1-9]\d*\):$",
        r"^  \[ 0\] +NULL ",
        r"^  \[ *\d+\] \.text +PROGBITS +AX ",
        r"^  \[ *\d+\] \.data +PROGBITS +WA ",
        r"^  \[ *\d+\] \.symtab +SYMTAB ",
        r"^Segments \(0\):$",
        r"^Symbol tables \(1\):$",
        r"^  \[\d+\] \.symtab: \d+ symbols, [1-9]\d* undefined$",
        r"^    undefined: elfmod_smoke_external$",
        r"^  \[\d+\] \.rela?\.text: RELA?, [1-9]\d* entr(y|ies), applies to section \d+$",
        r"^    R_\w+ +[1-9]\d*$",
        # A host object: elfmod loads it, relocations and all.
        r"^Unsupported \(0\):$",
        r"^  nothing: elfmod can load this file$",
    ]
    for pat in patterns:
        expect(re.search(pat, out, re.M), "text output lacks a line matching %r" % pat, out)
    # The JSON report describes the same file.
    rc, out, err = run(elfmod, "inspect", sample, "--json")
    expect(rc == 0 and err == "", "--json: exit %d, stderr %r" % (rc, err))
    try:
        j = json.loads(out)
    except ValueError as e:
        expect(False, "--json: invalid JSON: %s" % e, out)
        return
    expect(j["type"] == 1 and j["type_name"] == "REL", "--json: type %r" % j["type"])
    expect(j["segments"] == [], "--json: segments %r" % j["segments"])
    expect([t["name"] for t in j["symtabs"]] == [".symtab"], "--json: symtabs", out)
    expect("elfmod_smoke_external" in j["symtabs"][0]["undefined"], "--json: undefined", out)
    expect(any(r["name"].endswith(".text") and r["count"] > 0 for r in j["relocations"]),
           "--json: no relocations for .text", out)
    expect(j["unsupported"] == [], "--json: unsupported should be empty", out)


def check_errors(elfmod):
    with tempfile.TemporaryDirectory() as tmp:
        notelf = os.path.join(tmp, "not-elf.txt")
        with open(notelf, "w") as f:
            f.write("hello, this is not an ELF file\n")
        empty = os.path.join(tmp, "empty")
        open(empty, "w").close()
        missing = os.path.join(tmp, "missing")
        for path, reason in ((notelf, "not an ELF file"), (empty, "not an ELF file"),
                             (missing, "read error")):
            for extra in ([], ["--json"]):
                rc, out, err = run(elfmod, "inspect", path, *extra)
                expect(rc == 1, "%s %s: exit %d, want 1" % (path, extra, rc))
                expect(out == "", "%s: output on stdout: %r" % (path, out))
                expect(err.startswith("elfmod: %s: " % path) and reason in err
                       and err.endswith("\n") and err.count("\n") == 1,
                       "%s: stderr %r, want 'elfmod: %s: ...%s...'" % (path, err, path, reason))
        for args in (["inspect"], ["inspect", notelf, notelf], ["inspect", "--bogus", notelf]):
            rc, out, err = run(elfmod, *args)
            expect(rc == 2 and "usage: elfmod inspect" in err, "%s: exit %d, stderr %r" %
                   (args, rc, err))


def check_escape(elfmod, sample):
    with open(sample, "rb") as f:
        data = f.read()
    expect(data.count(EXTERNAL + b"\0") >= 1, "sample: symbol name not found")
    # Quote, backslash, control byte, a lone 0xff, valid UTF-8 (e-acute), DEL.
    base = b'e"l\\f\x01\xff\xc3\xa9\x7f\n\t'
    weird = base + b"x" * (len(EXTERNAL) - len(base))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "weird.o")
        with open(path, "wb") as f:
            f.write(data.replace(EXTERNAL + b"\0", weird + b"\0"))
        rc, out, err = run(elfmod, "inspect", "--json", path)
        expect(rc == 0 and err == "", "exit %d, stderr %r" % (rc, err))
        try:
            j = json.loads(out)
        except ValueError as e:
            expect(False, "invalid JSON: %s" % e, out)
            return
        want = 'e"l\\f\x01\u00ff\u00e9\x7f\n\t' + "x" * (len(EXTERNAL) - len(base))
        expect(want in j["symtabs"][0]["undefined"], "escaped name not decoded to %r: %r" %
               (want, j["symtabs"][0]["undefined"]))
        expect(all(ord(c) >= 0x20 or c in "\n\t" for c in out.strip()),
               "raw control characters in the JSON text")
        rc, out, err = run(elfmod, "inspect", path)
        expect(rc == 0, "text: exit %d" % rc)
        expect("    undefined: e\"l\\x5cf\\x01\\xff\\xc3\\xa9\\x7f\\x0a\\x09xx" in out,
               "text mode does not escape the name", out)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    mode, elfmod = sys.argv[1], sys.argv[2]
    if mode == "text":
        check_text(elfmod, sys.argv[3])
    elif mode == "errors":
        check_errors(elfmod)
    elif mode == "escape":
        check_escape(elfmod, sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for f in failures:
        print("FAIL: " + f)
    if failures:
        return 1
    print("OK (%s)" % mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
