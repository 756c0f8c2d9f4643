#!/usr/bin/env python3
"""tests/tools_exports: `elfmod exports` end to end.

  run.py host ELFMOD CC LIB SRC_ROOT WORK [CFLAGS...]
      The generated exports.c compiled into a host program with the firmware's own
      code and checked there (table_test.c: addresses, index order, the core's
      fingerprint, a module loaded through the table, EABI for a module of another
      fingerprint), for a named and a hashed table; allow/deny globs; the generator's
      fixed point on a firmware that compiled its table; refusals (hash collisions, names
      no assembler takes, inputs that are not linked firmware) with no output written.
  run.py arm ELFMOD SRC_ROOT WORK
      The same generated C for a Cortex-M4 firmware (arm-none-eabi-gcc), -Werror clean
      with -Wpedantic, linked in: every entry holds its symbol's address (Thumb bit of
      functions included), readelf -a is silent, the listing section is not allocated.
"""
import os
import re
import shutil
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
import harness  # noqa: E402
from harness import check, finish, run  # noqa: E402

WARN = harness.WARN + ["-Wcast-align"]


def case(name):
    """harness.case as a decorator: calling the function runs it as that case."""
    return lambda fn: lambda *a: harness.case(name, fn, *a)


def listing(path):
    """The names and the table line of a generated exports.c, from its comment."""
    names, table = [], None
    for line in open(path):
        if line.startswith(" * sym "):
            names.append(line.split()[3])
        elif line.startswith(" * table "):
            table = line.split()[2:]
    return names, table


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def untouched(path):
    """A sentinel at an output path, to show a refused run wrote nothing there."""
    write(path, "sentinel\n")
    return lambda: open(path).read() == "sentinel\n" and not [
        n for n in os.listdir(os.path.dirname(path)) if ".tmp." in n]


# ---- host ----

def host(elfmod, cc, lib, root, work, cflags):
    src = os.path.join(root, "tests", "tools_exports")
    inc = ["-I", os.path.join(root, "include"), "-I", os.path.join(root, "tests", "common"), "-I", src]
    libs = [lib, "-lm", "-ldl", "-lpthread"]
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    w = lambda *p: os.path.join(work, *p)
    fwsrc = [os.path.join(src, "fw_main.c"), os.path.join(src, "fw_syms.c")]
    run([cc, "-O2"] + inc + fwsrc + ["-o", w("fw.elf")])
    run([cc, "-O2", "-c"] + inc + [os.path.join(src, "fw_syms.c"), "-o", w("fw_syms.o")])
    write(w("allow.txt"), "# the firmware API\nfw_*\ncoll_*   # two names of one hash\n")
    write(w("deny.txt"), "fw_keep\n")
    write(w("deny_hashed.txt"), "fw_keep\ncoll_FY\n")
    base = ["fw_add", "fw_counter", "fw_name", "fw_twice", "fw_weakfn", "coll_Ez"]

    def build_variant(v):
        d = w(v)
        os.makedirs(d)
        hashed = v == "hashed"
        cmd = [elfmod, "exports", w("fw.elf"), "--allow", w("allow.txt"), "--deny",
               w("deny_hashed.txt" if hashed else "deny.txt"), "-o", os.path.join(d, "exports.c"),
               "--header", os.path.join(d, "table.h")] + (["--hashed"] if hashed else [])
        run(cmd)
        return d

    @case("generated tables compile clean and serve elfmod_load (named, hashed)")
    def tables():
        for v in ("named", "hashed"):
            d = build_variant(v)
            hashed = v == "hashed"
            ex = os.path.join(d, "exports.c")
            names, table = listing(ex)
            want = base + ([] if hashed else ["coll_FY"])
            check(sorted(names) == sorted(want), "%s: listed %s, want %s" % (v, names, want))
            check(table[1] == v and int(table[2]) == len(want), "%s: table line %s" % (v, table))
            body = open(ex).read().split(" */\n", 1)[1]
            # Names on the device only in a named table; the hashed one keeps them in comments.
            check(('{ "fw_add"' in body) != hashed, "%s: string entries" % v)
            check(hashed == ("{ NULL," in body), "%s: NULL entries" % v)
            run([cc, "-c"] + WARN + inc + ["-I", d, ex, "-o", os.path.join(d, "exports.o")])
            for m, extra in (("mod_use.o", []), ("mod_wrong.o", ["-DWRONG_ABI"])):
                run([cc, "-O2", "-c"] + inc + ["-I", d] + extra +
                    [os.path.join(src, "mod_use.c"), "-o", os.path.join(d, m)])
            prog = os.path.join(d, "table_test")
            run([cc, "-O1"] + WARN + cflags + inc + ["-I", d] + (["-DHASHED"] if hashed else []) +
                [os.path.join(src, "table_test.c"), os.path.join(src, "fw_syms.c"), ex, "-o", prog] + libs)
            p = run([prog, os.path.join(d, "mod_use.o"), os.path.join(d, "mod_wrong.o")])
            check(re.search(r"[1-9][0-9]* passed, 0 failed", p.stdout), "%s: %s" % (v, p.stdout))
            # The fingerprint in the header is the one in the listing and the object.
            fp = re.search(r"#define ELFMOD_ABI_FINGERPRINT (0x[0-9a-f]{16})ull",
                           open(os.path.join(d, "table.h")).read()).group(1)
            check(table[3] == fp, "%s: listing %s, header %s" % (v, table[3], fp))

    @case("the generator is a fixed point on a firmware that compiled its table")
    def fixed_point():
        run([elfmod, "exports", w("fw.elf"), "--allow", w("allow.txt"), "--deny", w("deny.txt"),
             "--name", "fw_table", "-o", w("ft.c"), "--header", w("ft.h")])
        run([cc, "-O2"] + inc + fwsrc + [w("ft.c"), "-o", w("fw2.elf")])
        run([elfmod, "exports", w("fw2.elf"), "--allow", w("allow.txt"), "--deny", w("deny.txt"),
             "--name", "fw_table", "-o", w("ft2.c")])
        a, b = listing(w("ft.c")), listing(w("ft2.c"))
        # fw_table matches fw_* but is the table itself: left out, so the set is unchanged.
        check(a == b, "listings differ: %s / %s" % (a, b))
        check("fw_table" not in b[0], "the table exported itself")
        p = run(["readelf", "-a", "-W", w("fw2.elf")])
        check(p.stderr == "", "readelf -a warns: %s" % p.stderr)
        sec = [l for l in p.stdout.splitlines() if ".elfmod.listing" in l]
        check(sec and " A" not in sec[0].split("PROGBITS")[1], "listing section: %s" % sec)

    @case("allow and deny globs")
    def globs():
        write(w("allow_glob.txt"), "# comments, blank lines, classes, ?\n\n  fw_[at]*   # fw_add fw_twice\ncoll_?z\n")
        write(w("deny_glob.txt"), "*wice\n")
        run([elfmod, "exports", w("fw.elf"), "--allow", w("allow_glob.txt"), "--deny", w("deny_glob.txt"),
             "-o", w("glob.c")])
        names = sorted(listing(w("glob.c"))[0])
        check(names == ["coll_Ez", "fw_add"], "allow/deny: %s" % names)
        # Two --allow files add up; no --allow exports everything eligible.
        write(w("allow_more.txt"), "fw_counter\n")
        run([elfmod, "exports", w("fw.elf"), "--allow", w("allow_glob.txt"), "--allow", w("allow_more.txt"),
             "-o", w("glob2.c")])
        check(sorted(listing(w("glob2.c"))[0]) == ["coll_Ez", "fw_add", "fw_counter", "fw_twice"],
              "two allow files: %s" % listing(w("glob2.c"))[0])
        run([elfmod, "exports", w("fw.elf"), "-o", w("all.c")])
        names = listing(w("all.c"))[0]
        for n in ("main", "fw_add", "fw_counter", "fw_keep", "coll_FY"):
            check(n in names, "%s missing from the default set" % n)
        for n in ("fw_hidden", "fw_private"):
            check(n not in names, "%s (hidden or local) exported" % n)
        write(w("allow_typo.txt"), "fw_add\nnomatch_*\n")
        p = run([elfmod, "exports", w("fw.elf"), "--allow", w("allow_typo.txt"), "-o", w("typo.c")])
        check("allow_typo.txt:2" in p.stderr and "'nomatch_*' matches no symbol" in p.stderr,
              "no warning for an unused pattern: %s" % p.stderr)

    @case("refusals write nothing")
    def refusals():
        out = w("refused.c")
        ok = untouched(out)
        p = run([elfmod, "exports", w("fw.elf"), "--allow", w("allow.txt"), "--deny", w("deny.txt"),
                 "--hashed", "-o", out, "--header", w("refused.h")], expect=1)
        check("'coll_Ez' and 'coll_FY' have the same hash" in p.stderr, "collision: %s" % p.stderr)
        check(ok() and not os.path.exists(w("refused.h")), "collision: output written")
        run([cc, "-O2"] + inc + fwsrc + [os.path.join(src, "fw_odd.c"), "-o", w("fw_odd.elf")])
        p = run([elfmod, "exports", w("fw_odd.elf"), "-o", out], expect=1)
        check("'odd name'" in p.stderr and "--deny" in p.stderr, "odd name: %s" % p.stderr)
        check(ok(), "odd name: output written")
        write(w("deny_odd.txt"), "odd*\n")
        run([elfmod, "exports", w("fw_odd.elf"), "--deny", w("deny_odd.txt"), "-o", w("odd_denied.c")])
        write(w("allow_space.txt"), "fw_add fw_twice\n")
        p = run([elfmod, "exports", w("fw.elf"), "--allow", w("allow_space.txt"), "-o", out], expect=1)
        check("allow_space.txt:1" in p.stderr and ok(), "pattern with a space: %s" % p.stderr)
        p = run([elfmod, "exports", w("fw.elf"), "--allow", w("no_such_file"), "-o", out], expect=1)
        check("no_such_file" in p.stderr and ok(), "missing pattern file: %s" % p.stderr)
        p = run([elfmod, "exports", w("allow.txt"), "-o", out], expect=1)
        check("not an ELF file" in p.stderr and ok(), "text input: %s" % p.stderr)
        p = run([elfmod, "exports", w("fw_syms.o"), "-o", out], expect=1)
        check("not a linked firmware" in p.stderr and ok(), "object input: %s" % p.stderr)
        run(["strip", "-o", w("fw_stripped.elf"), w("fw.elf")])
        p = run([elfmod, "exports", w("fw_stripped.elf"), "-o", out], expect=1)
        check("no symbol table" in p.stderr and ok(), "stripped input: %s" % p.stderr)
        # A firmware whose listing was tampered with is not read as one.
        data = open(w("fw2.elf"), "rb").read()
        i = data.find(b"sym 0x")
        check(i > 0, "no listing in fw2.elf")
        bad = data[:i + 6] + (b"1" if data[i + 6:i + 7] != b"1" else b"2") + data[i + 7:]
        open(w("fw_tampered.elf"), "wb").write(bad)
        p = run([elfmod, "exports", w("fw_tampered.elf"), "-o", out], expect=1)
        check("export listing" in p.stderr and ok(), "tampered listing: %s" % p.stderr)
        for args in (["--name", "1table"], ["--name", "int"], []):
            p = run([elfmod, "exports", w("fw.elf")] + args + (["-o", out] if args else []), expect=2)
            check(ok(), "usage error wrote output")
        run([elfmod, "exports", w("fw.elf"), "--bogus", "-o", out], expect=2)
        check(ok(), "unknown option wrote output")

    @case("an empty set is a valid table")
    def empty():
        write(w("allow_none.txt"), "no_such_symbol\n")
        p = run([elfmod, "exports", w("fw.elf"), "--allow", w("allow_none.txt"), "-o", w("empty.c"),
                 "--header", w("empty.h")])
        check("table is empty" in p.stderr, "no warning: %s" % p.stderr)
        run([cc, "-c"] + WARN + inc + [w("empty.c"), "-o", w("empty.o")])
        check(listing(w("empty.c"))[1][2] == "0", "count: %s" % listing(w("empty.c"))[1])

    tables()
    fixed_point()
    globs()
    refusals()
    empty()


# ---- ARM ----

def elf32_syms(path):
    """(sections, symbols) of a little-endian ELF32 file: enough to read a table back."""
    data = open(path, "rb").read()
    check(data[:4] == b"\x7fELF" and data[4] == 1 and data[5] == 1, "%s: not ELF32 LE" % path)
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2e)
    secs = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    names = secs[shstrndx]

    def s(off, base):
        end = data.index(b"\0", base + off)
        return data[base + off:end].decode()
    sections = [(s(x[0], names[4]),) + x for x in secs]
    syms = {}
    for sec in secs:
        if sec[1] != 2:  # SHT_SYMTAB
            continue
        strtab = secs[sec[6]]
        for k in range(sec[5] // 16):
            st_name, value, size, info, other, shndx = struct.unpack_from("<IIIBBH", data, sec[4] + 16 * k)
            if st_name:
                syms[s(st_name, strtab[4])] = (value, size, info & 0xf, shndx)
    return data, sections, syms


def read_addr(data, sections, addr, n):
    for sec in sections:
        if sec[2] != 8 and sec[4] <= addr < sec[4] + sec[6] and sec[3] & 2:
            off = sec[5] + addr - sec[4]
            return data[off:off + n]
    raise AssertionError("address 0x%x in no section" % addr)


def arm(elfmod, root, work):
    cc = "arm-none-eabi-gcc"
    src = os.path.join(root, "tests", "tools_exports")
    inc = ["-I", os.path.join(root, "include"), "-I", src]
    flags = ["-mcpu=cortex-m4", "-mthumb", "-O2", "-ffreestanding"]
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    w = lambda *p: os.path.join(work, *p)
    fwsrc = [os.path.join(src, "fw_main.c"), os.path.join(src, "fw_syms.c")]
    link = ["-nostdlib", "-Wl,-e,main", "-Wl,--build-id=none"]
    run([cc] + flags + inc + fwsrc + link + ["-o", w("fw.elf")])
    write(w("allow.txt"), "fw_*\ncoll_*\n")
    write(w("deny.txt"), "fw_keep\ncoll_FY\n")

    @case("ARM: generated C is -Werror clean, links, and holds the symbols' addresses")
    def tables():
        for hashed in (False, True):
            v = "hashed" if hashed else "named"
            os.makedirs(w(v))
            ex = w(v, "exports.c")
            run([elfmod, "exports", w("fw.elf"), "--allow", w("allow.txt"), "--deny", w("deny.txt"),
                 "--name", "fw_table", "-o", ex, "--header", w(v, "table.h")] + (["--hashed"] if hashed else []))
            run([cc] + flags + WARN + inc + ["-c", ex, "-o", w(v, "exports.o")])
            # The header, as a module includes it for ELFMOD_MODULE_ABI.
            run([cc] + flags + WARN + inc + ["-I", w(v), "-c", os.path.join(src, "mod_use.c"), "-o",
                                             w(v, "mod_use.o")])
            img = w("fw_" + v + ".elf")
            run([cc] + flags + inc + fwsrc + [ex] + link + ["-o", img])
            p = run(["arm-none-eabi-readelf", "-a", "-W", img])
            check(p.stderr == "", "readelf -a warns: %s" % p.stderr)
            data, sections, syms = elf32_syms(img)
            names, table = listing(ex)
            check(syms["fw_table_syms"][1] == 8 * len(names), "table size")
            entries = read_addr(data, sections, syms["fw_table_syms"][0], 8 * len(names))
            for i, n in enumerate(names):
                name_ptr, addr = struct.unpack_from("<II", entries, 8 * i)
                value, _, typ, _ = syms[n]
                # Thumb functions' addresses carry bit 0: st_value has it already.
                check(addr == value, "%s: entry 0x%x, symbol 0x%x" % (n, addr, value))
                if typ == 2:
                    check(addr & 1, "%s: Thumb bit missing" % n)
                if hashed:
                    check(name_ptr == 0, "%s: hashed entry with a name" % n)
                else:
                    s = read_addr(data, sections, name_ptr, len(n) + 1)
                    check(s == n.encode() + b"\0", "%s: name %r" % (n, s))
            obj = read_addr(data, sections, syms["fw_table"][0], 24)
            count, = struct.unpack_from("<I", obj, 8)
            fp, = struct.unpack_from("<Q", obj, 16)
            check(count == len(names) and "0x%016x" % fp == table[3], "table object: %d 0x%x" % (count, fp))
            sec = [s for s in sections if s[0] == ".elfmod.listing"]
            check(sec and not sec[0][3] & 2, "listing section allocated or missing")

    tables()


def main():
    if len(sys.argv) >= 7 and sys.argv[1] == "host":
        host(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7:])
    elif len(sys.argv) == 5 and sys.argv[1] == "arm":
        arm(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        print(__doc__)
        return 2
    return finish()


if __name__ == "__main__":
    sys.exit(main())
