#!/usr/bin/env python3
"""Compare `elfmod inspect --json` with GNU readelf on hundreds of real ELF files.

usage: compare_readelf.py ELFMOD_BINARY

Gathers ELF files of every architecture elfmod knows from this machine (host binaries
and libraries, cross sysroots, embedded toolchain libraries, objects extracted from
static archives), runs `ELFMOD_BINARY inspect --json FILE` and
`readelf -W -h -S -l -s -r FILE` on each, and compares class, machine, type, entry,
section and segment counts, per symbol table the symbol and undefined-symbol counts,
and per relocation section the count of every relocation type by name.

Any mismatch, non-zero exit, crash, sanitizer report or invalid JSON fails the test.
The file selection is deterministic: sorted, then evenly sampled per directory.

Environment: ELFMOD_SKIP_CROSS=1 turns a missing cross architecture into a warning.
"""
import collections
import glob
import json
import multiprocessing
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

READELF = "/usr/bin/readelf"
MAX_SIZE = 20 * 1024 * 1024
TOOL_TIMEOUT = 120
WORKERS = 2
MIN_FILES = 500
# Each of these must be represented by several files, some of them relocatable
# objects that actually carry relocations.
REQUIRED_ARCHES = ["x86-64", "i386", "ARM", "AArch64", "RISC-V", "Xtensa", "MIPS"]
MIN_PER_ARCH = 5

ARCH_BY_MACHINE = {62: "x86-64", 3: "i386", 40: "ARM", 183: "AArch64", 243: "RISC-V",
                   94: "Xtensa", 8: "MIPS"}
# readelf's spelling of e_machine for the machines above (binutils 2.40).
READELF_MACHINES = {
    "Advanced Micro Devices X86-64": 62,
    "Intel 80386": 3,
    "ARM": 40,
    "AArch64": 183,
    "RISC-V": 243,
    "Tensilica Xtensa Processor": 94,
    "MIPS R3000": 8,
}
ETYPES = {"NONE": 0, "REL": 1, "EXEC": 2, "DYN": 3, "CORE": 4}
SHT_RELR = 19

# Files elfmod may reject although readelf reads them, each with the reason. Keep empty
# unless a file is really malformed; every entry must still be rejected (checked).
ALLOW_REJECT = {}

CROSS_TRIPLES = ["aarch64-linux-gnu", "arm-linux-gnueabihf", "riscv64-linux-gnu",
                 "i686-linux-gnu", "mips-linux-gnu", "mipsel-linux-gnu"]

# (archive, how many members to take): relocatable objects of the embedded targets.
ARCHIVES = [
    ("/usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7-m/nofp/libgcc.a", 30),
    ("/usr/lib/gcc/arm-none-eabi/12.2.1/libgcc.a", 15),
    ("/usr/lib/arm-none-eabi/newlib/thumb/v7e-m+dp/hard/libc.a", 40),
    ("/usr/lib/arm-none-eabi/newlib/libc.a", 15),
    ("/usr/lib/gcc/riscv64-unknown-elf/12.2.0/rv32imac/ilp32/libgcc.a", 30),
    ("/usr/lib/gcc/riscv64-unknown-elf/12.2.0/libgcc.a", 25),
    ("/usr/lib/gcc/xtensa-lx106-elf/12.2.0/libgcc.a", 50),
    ("/usr/mipsel-linux-gnu/lib/libc.a", 25),
    ("/usr/lib/gcc-cross/mips-linux-gnu/12/libgcc.a", 15),
    ("/usr/lib/gcc-cross/aarch64-linux-gnu/12/libgcc.a", 15),
    ("/usr/lib/gcc-cross/i686-linux-gnu/12/libgcc.a", 15),
    ("/usr/lib/x86_64-linux-gnu/libc.a", 20),
]


def elf_ident(path):
    """(class, big_endian, machine) from the ELF header, or None for anything else."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > MAX_SIZE:
            return None
        with open(path, "rb") as f:
            b = f.read(20)
    except OSError:
        return None
    if len(b) < 20 or b[:4] != b"\x7fELF" or b[4] not in (1, 2) or b[5] not in (1, 2):
        return None
    machine = struct.unpack(">H" if b[5] == 2 else "<H", b[18:20])[0]
    return (64 if b[4] == 2 else 32, b[5] == 2, machine)


def sample(paths, cap):
    """At most `cap` of the sorted, de-duplicated ELF files in `paths`, evenly spread so
    that a cap does not keep only one end of the alphabet."""
    seen, elfs = set(), []
    for p in sorted(set(paths)):
        real = os.path.realpath(p)
        if real in seen:
            continue
        ident = elf_ident(real)
        if ident is None:
            continue
        # 64-bit MIPS packs three relocation types per entry: elfmod does not decode it.
        if ident[0] == 64 and ident[2] == 8:
            continue
        seen.add(real)
        elfs.append(real)
    if len(elfs) <= cap:
        return elfs
    return [elfs[(i * len(elfs)) // cap] for i in range(cap)]


def extract_archive(archive, tmp, cap):
    if not os.path.isfile(archive):
        return []
    dest = os.path.join(tmp, archive.strip("/").replace("/", "_"))
    os.makedirs(dest)
    subprocess.run(["ar", "x", archive], cwd=dest, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sample(glob.glob(os.path.join(dest, "*.o")), cap)


# Copies of real objects whose first relocation gets a type number no table names, so
# that readelf's "unrecognized: <hex>" and elfmod's "type N" are compared as well.
SYNTHETIC = [
    ("/usr/lib/x86_64-linux-gnu/crt1.o", 0x1234),
    ("/usr/lib/gcc/xtensa-lx106-elf/12.2.0/crtbegin.o", 0xc8),
    ("/usr/lib/gcc-cross/mips-linux-gnu/12/crtbegin.o", 0xf0),
]


def make_unknown_reloc(src, dst, rtype):
    """Writes a copy of `src` with the type of its first relocation set to `rtype`."""
    with open(src, "rb") as f:
        b = bytearray(f.read())
    is64, e = b[4] == 2, ">" if b[5] == 2 else "<"
    if is64:
        shoff, = struct.unpack_from(e + "Q", b, 0x28)
        shentsize, shnum = struct.unpack_from(e + "HH", b, 0x3a)
    else:
        shoff, = struct.unpack_from(e + "I", b, 0x20)
        shentsize, shnum = struct.unpack_from(e + "HH", b, 0x2e)
    for i in range(shnum):
        sh = shoff + i * shentsize
        if is64:
            stype, = struct.unpack_from(e + "I", b, sh + 4)
            off, size = struct.unpack_from(e + "QQ", b, sh + 24)
        else:
            stype, = struct.unpack_from(e + "I", b, sh + 4)
            off, size = struct.unpack_from(e + "II", b, sh + 16)
        if stype in (4, 9) and size:
            if is64:
                info, = struct.unpack_from(e + "Q", b, off + 8)
                struct.pack_into(e + "Q", b, off + 8, (info & ~0xffffffff) | rtype)
            else:
                info, = struct.unpack_from(e + "I", b, off + 4)
                struct.pack_into(e + "I", b, off + 4, (info & ~0xff) | rtype)
            with open(dst, "wb") as f:
                f.write(b)
            return dst
    raise ValueError("%s has no relocation to patch" % src)


def gather(tmp):
    files = []

    def add(pattern_list, cap):
        paths = []
        for pattern in pattern_list:
            paths += glob.glob(pattern)
        files.extend(sample(paths, cap))

    add(["/usr/bin/*"], 170)
    add(["/usr/lib/x86_64-linux-gnu/*.so*"], 170)
    add(["/usr/lib/x86_64-linux-gnu/*.o"], 20)
    add(["/usr/lib/gcc-cross/*/12/*.o"], 100)
    add(["/usr/lib/gcc/*/12/*.o", "/usr/lib/gcc/*/12.*/*.o"], 40)
    for triple in CROSS_TRIPLES:
        add(["/usr/%s/lib/*.o" % triple], 15)
        add(["/usr/%s/lib/*.so*" % triple], 25)
    for archive, cap in ARCHIVES:
        files.extend(extract_archive(archive, tmp, cap))
    for k, (src, rtype) in enumerate(SYNTHETIC):
        if elf_ident(src):
            files.append(make_unknown_reloc(src, os.path.join(tmp, "unknown-reloc-%d.o" % k),
                                            rtype))
    # The same file reached twice (symlinks across directories) is compared once.
    out, seen = [], set()
    for f in files:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


# ---- readelf parsing ----

RE_SYMTAB = re.compile(r"^Symbol table '(.*)' contains (\d+) entr(?:y|ies):$")
RE_RELSEC = re.compile(r"^Relocation section '(.*)' at offset (0x[0-9a-f]+) contains (\d+) entr(?:y|ies):$")
RE_SHDR_LINE = re.compile(r"^\s*\[\s*(\d+)\]")
RE_SYM_LINE = re.compile(r"^\s*(\d+):\s")
VISIBILITIES = {"DEFAULT", "INTERNAL", "HIDDEN", "PROTECTED"}


def header_count(value):
    """'31', or '0 (70000)' when the real number is in section 0."""
    m = re.match(r"^(\d+)(?: \((\d+)\))?", value)
    return int(m.group(2) or m.group(1))


def parse_readelf(text):
    r = {"symtabs": [], "relocs": [], "section_lines": 0, "segment_lines": 0}
    lines = text.splitlines()
    i, n = 0, len(lines)
    mode = None
    while i < n:
        line = lines[i]
        i += 1
        s = line.strip()
        if line.startswith("  ") and ":" in s and mode == "header":
            key, _, value = s.partition(":")
            value = value.strip()
            if key == "Class":
                r["class"] = int(value[3:])
            elif key == "Type":
                r["type"] = ETYPES.get(value.split()[0], value)
            elif key == "Machine":
                r["machine"] = value
            elif key == "Entry point address":
                r["entry"] = int(value, 16)
            elif key == "Number of section headers":
                r["shnum"] = header_count(value)
            elif key == "Number of program headers":
                r["phnum"] = header_count(value)
            continue
        if s == "ELF Header:":
            mode = "header"
            continue
        if s == "Section Headers:":
            mode = "sections"
            continue
        if s == "Program Headers:":
            mode = "segments"
            continue
        if s.startswith("Key to Flags:") or s.startswith("Section to Segment mapping:"):
            mode = None
            continue
        if mode == "sections" and RE_SHDR_LINE.match(line) and not s.startswith("[Nr]"):
            r["section_lines"] += 1
            continue
        if mode == "segments" and s and not s.startswith("Type ") and not s.startswith("["):
            r["segment_lines"] += 1
            continue
        m = RE_SYMTAB.match(s)
        if m:
            mode = None
            count, undef, seen = int(m.group(2)), 0, 0
            while i < n and lines[i].strip():
                sm = RE_SYM_LINE.match(lines[i])
                if sm:
                    seen += 1
                    if int(sm.group(1)) != 0 and sym_ndx(lines[i]) == "UND":
                        undef += 1
                i += 1
            r["symtabs"].append({"name": m.group(1), "count": count, "undefined": undef,
                                 "lines": seen})
            continue
        m = RE_RELSEC.match(s)
        if m:
            mode = None
            types = collections.Counter()
            while i < n and lines[i].strip():
                t = lines[i].split()
                i += 1
                if len(t) < 3 or not re.match(r"^[0-9a-f]+$", t[0]):
                    continue  # the column header
                if t[2] == "unrecognized:":
                    types["type %d" % int(t[3], 16)] += 1
                else:
                    types[t[2]] += 1
            r["relocs"].append({"name": m.group(1), "offset": int(m.group(2), 16),
                                "count": int(m.group(3)), "types": types})
            continue
    return r


def sym_ndx(line):
    """The Ndx column of a readelf symbol line: the token after the visibility, after
    any bracketed extra such as [VARIANT_PCS] or [MIPS16]."""
    t = line.split()
    for k in range(4, len(t)):
        if t[k] in VISIBILITIES:
            k += 1
            if k < len(t) and t[k].startswith("["):
                while k < len(t) and not t[k].endswith("]"):
                    k += 1
                k += 1
            return t[k] if k < len(t) else None
    raise ValueError("cannot parse symbol line: %r" % line)


# ---- one file ----

def compare_file(args):
    elfmod, path = args
    res = {"path": path, "diffs": [], "relocs": 0, "arch": None, "type": None,
           "rejected": False, "unknown_types": 0}
    diffs = res["diffs"]
    ident = elf_ident(path)
    res["arch"] = ARCH_BY_MACHINE.get(ident[2], "machine %d" % ident[2]) if ident else "?"
    env = dict(os.environ, LC_ALL="C")
    try:
        ep = subprocess.run([elfmod, "inspect", "--json", path], capture_output=True,
                            timeout=TOOL_TIMEOUT, env=env)
        rp = subprocess.run([READELF, "-W", "-h", "-S", "-l", "-s", "-r", path],
                            capture_output=True, timeout=TOOL_TIMEOUT, env=env)
    except subprocess.TimeoutExpired as e:
        diffs.append("timeout: %s" % " ".join(e.cmd))
        return res
    err = ep.stderr.decode("utf-8", "replace").strip()
    if ep.returncode < 0:
        diffs.append("elfmod crashed (signal %d): %s" % (-ep.returncode, err[:2000]))
        return res
    if path in ALLOW_REJECT:
        if ep.returncode == 1 and err.startswith("elfmod: %s: " % path):
            res["rejected"] = True
        else:
            diffs.append("allow-listed as rejected (%s) but elfmod exit %d: %s" %
                         (ALLOW_REJECT[path], ep.returncode, err[:300]))
        return res
    if ep.returncode != 0 or err:
        diffs.append("elfmod exit %d: %s" % (ep.returncode, err[:2000]))
        return res
    try:
        j = json.loads(ep.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        diffs.append("invalid JSON from elfmod: %s" % e)
        return res
    if rp.returncode != 0:
        diffs.append("readelf exit %d (elfmod accepted the file): %s" %
                     (rp.returncode, rp.stderr.decode("utf-8", "replace")[:300]))
        return res
    try:
        r = parse_readelf(rp.stdout.decode("utf-8", "replace"))
    except ValueError as e:
        diffs.append("readelf output not understood: %s" % e)
        return res

    def check(what, mine, theirs):
        if mine != theirs:
            diffs.append("%s: elfmod %r, readelf %r" % (what, mine, theirs))

    res["type"] = j.get("type")
    check("class", j.get("class"), r.get("class"))
    check("machine", j.get("machine"), READELF_MACHINES.get(r.get("machine"), r.get("machine")))
    check("machine (raw e_machine)", j.get("machine"), ident[2])
    check("type", j.get("type"), r.get("type"))
    check("entry", j.get("entry"), r.get("entry"))
    check("section count", len(j["sections"]), r.get("shnum"))
    check("section count (listed)", len(j["sections"]), r["section_lines"])
    check("segment count", len(j["segments"]), r.get("phnum"))
    check("segment count (listed)", len(j["segments"]), r["segment_lines"])

    mine = [(t["name"], t["count"], len(t["undefined"])) for t in j["symtabs"]]
    theirs = [(t["name"], t["count"], t["undefined"]) for t in r["symtabs"]]
    check("symbol tables (name, count, undefined)", mine, theirs)
    for t in r["symtabs"]:
        check("readelf lines of symbol table %s" % t["name"], t["count"], t["lines"])

    # readelf lists non-empty REL, RELA and RELR sections; elfmod reports REL and RELA.
    relr = {s["offset"] for s in j["sections"] if s["type"] == SHT_RELR}
    by_index = {s["index"]: s for s in j["sections"]}
    mine = [(x["name"], by_index[x["section"]]["offset"], x["count"], dict(x["types"]))
            for x in j["relocations"] if x["count"]]
    theirs = [(x["name"], x["offset"], x["count"], dict(x["types"]))
              for x in r["relocs"] if x["offset"] not in relr]
    if mine != theirs:
        mine_d = {m[:3]: m[3] for m in mine}
        theirs_d = {t[:3]: t[3] for t in theirs}
        keys = set(mine_d) | set(theirs_d)
        for k in sorted(keys, key=lambda k: k[1]):
            if mine_d.get(k) != theirs_d.get(k):
                diffs.append("relocations %s at 0x%x (%d entries): elfmod %s, readelf %s" %
                             (k[0], k[1], k[2], mine_d.get(k), theirs_d.get(k)))
        if not diffs:
            diffs.append("relocation sections in another order: elfmod %s, readelf %s" %
                         ([m[:3] for m in mine], [t[:3] for t in theirs]))
    for x in r["relocs"]:
        if x["offset"] not in relr:
            check("readelf lines of %s" % x["name"], x["count"], sum(x["types"].values()))
    res["relocs"] = sum(x[2] for x in mine)
    res["unknown_types"] = sum(n for x in mine for t, n in x[3].items() if t.startswith("type "))
    return res


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    elfmod = os.path.abspath(sys.argv[1])
    if not os.access(elfmod, os.X_OK):
        print("error: %s is not executable" % elfmod, file=sys.stderr)
        return 1
    if not os.access(READELF, os.X_OK):
        print("error: %s not found" % READELF, file=sys.stderr)
        return 1
    start = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="elfmod-inspect-")
    try:
        files = gather(tmp)
        with multiprocessing.Pool(WORKERS) as pool:
            results = pool.map(compare_file, [(elfmod, f) for f in files], chunksize=4)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - start

    failed = [r for r in results if r["diffs"]]
    per_arch = collections.defaultdict(collections.Counter)
    relocs = collections.Counter()
    rel_with_relocs = collections.Counter()
    for r in results:
        if r["diffs"]:
            continue
        per_arch[r["arch"]]["files"] += 1
        per_arch[r["arch"]][{1: "REL", 2: "EXEC", 3: "DYN"}.get(r["type"], "other")] += 1
        relocs[r["arch"]] += r["relocs"]
        if r["type"] == 1 and r["relocs"]:
            rel_with_relocs[r["arch"]] += 1

    print("compared %d ELF files with readelf in %.1f s (%d workers)" %
          (len(results), elapsed, WORKERS))
    for arch in sorted(per_arch):
        c = per_arch[arch]
        print("  %-8s %4d files (REL %d, EXEC %d, DYN %d), %d relocations compared" %
              (arch, c["files"], c["REL"], c["EXEC"], c["DYN"], relocs[arch]))
    print("  total relocations compared: %d (%d of types without a name)" %
          (sum(relocs.values()), sum(r["unknown_types"] for r in results)))
    rejected = [r for r in results if r["rejected"]]
    for r in rejected:
        print("  rejected as allowed: %s (%s)" % (r["path"], ALLOW_REJECT[r["path"]]))

    problems = []
    if len(results) < MIN_FILES:
        problems.append("only %d files gathered, want at least %d" % (len(results), MIN_FILES))
    # The synthetic files must have exercised the unnamed-type path.
    if sum(r["unknown_types"] for r in results) < len(SYNTHETIC) and not failed:
        problems.append("relocations of unnamed types were not compared")
    skip_cross = os.environ.get("ELFMOD_SKIP_CROSS") == "1"
    for arch in REQUIRED_ARCHES:
        if per_arch[arch]["files"] < MIN_PER_ARCH or rel_with_relocs[arch] < 2:
            msg = ("architecture %s under-represented: %d files, %d relocatable objects "
                   "with relocations (is its cross toolchain installed?)" %
                   (arch, per_arch[arch]["files"], rel_with_relocs[arch]))
            if skip_cross:
                print("warning (ELFMOD_SKIP_CROSS=1): " + msg)
            else:
                problems.append(msg)

    if failed:
        print("\nFAIL: %d of %d files differ; the first ones:" % (len(failed), len(results)))
        for r in failed[:8]:
            print("  %s [%s]" % (r["path"], r["arch"]))
            for d in r["diffs"][:5]:
                print("    - " + d)
    for p in problems:
        print("FAIL: " + p)
    if failed or problems:
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
