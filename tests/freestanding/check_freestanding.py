#!/usr/bin/env python3
"""Freestanding cross-build check of the elfmod core for one small target.

Compiles every core source (src/*.c, src/arch/*.c, src/port/arena.c and cache.c, globbed now so
new files are covered) the way firmware would build it, then fails when:
  - a file does not compile warning-free;
  - the objects need a symbol from outside the core other than memcpy, memset,
    memmove, memcmp and the libgcc helpers that THIS target's libgcc really defines
    (checked with nm against the multilib `gcc -print-libgcc-file-name` picks);
  - the objects do not link with -nostdlib -lgcc and a stub that provides the four
    mem* functions and references every public function and every global of the core;
  - a function has an unbounded (dynamic) stack frame, or the call graph recurses.
It prints the code and data sizes, with and without ELFMOD_CFG_RELOC_NAMES, and the
stack figures: the largest frame and the deepest path through the call graph.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

TARGETS = {
    "cortex-m4": ("arm-none-eabi-gcc", ["-mcpu=cortex-m4", "-mthumb"]),
    "cortex-m0": ("arm-none-eabi-gcc", ["-mcpu=cortex-m0", "-mthumb"]),
    "rv32imac": ("riscv64-unknown-elf-gcc", ["-march=rv32imac", "-mabi=ilp32"]),
    # call0 ABI; -mlongcalls so calls reach anywhere, as ESP8266 firmware builds do.
    "lx106": ("xtensa-lx106-elf-gcc", ["-mlongcalls"]),
}
BASE_FLAGS = ["-std=c11", "-Os", "-ffreestanding", "-nostdlib", "-ffunction-sections",
              "-fdata-sections", "-fstack-usage", "-fcallgraph-info=su"]
MEM_FUNCS = {"memcpy", "memset", "memmove", "memcmp"}
# Multiply/divide helpers: allowed only where libgcc has them, but worth a mention.
ARITH_HELPERS = re.compile(r"^__(aeabi_(u?ldivmod|u?idiv(mod)?|lmul)|u?(div|mod)[sd]i3|"
                           r"u?divmod[sd]i4|mul[sd]i3)$")



class Fail(Exception):
    pass


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    return p.returncode, p.stdout


def must(cmd, what):
    rc, out = run(cmd)
    if rc != 0:
        raise Fail("%s failed (exit %d):\n  %s\n%s" % (what, rc, " ".join(cmd), out))
    return out


def core_sources(root):
    srcs = sorted(glob.glob(os.path.join(root, "src", "*.c")))
    srcs += sorted(glob.glob(os.path.join(root, "src", "arch", "*.c")))
    srcs.append(os.path.join(root, "src", "port", "arena.c"))
    srcs.append(os.path.join(root, "src", "port", "cache.c"))
    return srcs


def obj_name(root, src):
    # src/arch/arm.c -> arch_arm.o, so same-named files in different folders cannot clash.
    rel = os.path.relpath(src, os.path.join(root, "src"))
    return rel.replace(os.sep, "_")[:-2] + ".o"


def compile_all(cc, flags, root, srcs, outdir, extra):
    os.makedirs(outdir, exist_ok=True)
    objs = []
    for src in srcs:
        obj = os.path.join(outdir, obj_name(root, src))
        must([cc] + flags + extra + ["-I", os.path.join(root, "include"),
                                     "-I", os.path.join(root, "src"), "-c", src, "-o", obj],
             "compiling " + os.path.relpath(src, root))
        objs.append(obj)
    return objs


def nm_symbols(nm, path):
    """(defined globals, undefined) of an object or archive."""
    out = must([nm, "-P", path], "nm " + path)
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2 or line.endswith(":"):
            continue
        name, kind = parts[0], parts[1]
        if kind == "U":
            undefined.add(name)
        elif kind in "TDRBWVGSCA" or kind == "i":
            defined.add(name)
    return defined, undefined


def section_sizes(size_tool, objs):
    """Sum of sections by class over the objects (size -A), in bytes."""
    tot = {"text": 0, "rodata": 0, "data": 0, "bss": 0}
    for obj in objs:
        out = must([size_tool, "-A", obj], "size " + obj)
        for line in out.splitlines():
            parts = line.split()
            if len(parts) < 3 or not parts[1].isdigit():
                continue
            name, sz = parts[0], int(parts[1])
            if name.startswith((".text", ".literal")):
                tot["text"] += sz
            elif name.startswith(".rodata") or name.startswith(".srodata"):
                tot["rodata"] += sz
            elif name.startswith((".data", ".sdata")):
                tot["data"] += sz
            elif name.startswith((".bss", ".sbss")):
                tot["bss"] += sz
    return tot


def read_su(objs):
    frames = []
    for obj in objs:
        su = obj[:-2] + ".su"
        if not os.path.exists(su):
            raise Fail("no stack usage file %s" % su)
        with open(su) as f:
            for line in f:
                loc, size, qual = line.rstrip("\n").split("\t")
                frames.append((int(size), qual, loc))
    return frames


NODE = re.compile(r'^node: \{ title: "([^"]*)" label: "([^"]*)"')
EDGE = re.compile(r'^edge: \{ sourcename: "([^"]*)" targetname: "([^"]*)"')
FRAME = re.compile(r"\\n(\d+) bytes \(([a-z,]+)\)")


def read_callgraph(objs):
    """Nodes with frames and edges from GCC's -fcallgraph-info=su (.ci, VCG) files.
    Static functions carry their file in the title, so titles are unique program-wide."""
    frame, edges, external = {}, {}, set()
    for obj in objs:
        ci = obj[:-2] + ".ci"
        if not os.path.exists(ci):
            raise Fail("no call graph file %s" % ci)
        with open(ci) as f:
            for line in f:
                m = NODE.match(line)
                if m:
                    fm = FRAME.search(m.group(2))
                    if fm:
                        frame[m.group(1)] = int(fm.group(1))
                    else:
                        external.add(m.group(1))
                    continue
                m = EDGE.match(line)
                if m:
                    edges.setdefault(m.group(1), set()).add(m.group(2))
    return frame, edges, external - set(frame)


def worst_paths(frame, edges):
    """Deepest stack per function: its frame plus the deepest callee. Returns
    ({fn: (depth, path)}, [cycles]). Calls to functions outside the core (mem*,
    callbacks) count 0 here and are listed separately."""
    memo, cycles, state = {}, [], {}

    def visit(fn, stack):
        if state.get(fn) == "done":
            return memo[fn]
        if state.get(fn) == "active":
            cycles.append(stack[stack.index(fn):])
            return (0, [fn])
        state[fn] = "active"
        best = (0, [])
        for callee in sorted(edges.get(fn, ())):
            if callee not in frame:
                continue
            d = visit(callee, stack + [callee])
            if d[0] > best[0]:
                best = d
        state[fn] = "done"
        memo[fn] = (frame[fn] + best[0], [fn] + best[1])
        return memo[fn]

    for fn in sorted(frame):
        visit(fn, [fn])
    return memo, cycles


def short(fn):
    return fn.split(":")[-1]


def public_functions(header):
    """Public functions declared in elfmod.h, except the hosted POSIX port."""
    with open(header) as f:
        text = f.read()
    # Everything from the POSIX port's banner on is hosted (elfmod_posix_*, elfmod_open...).
    text = text.split("/* POSIX port (hosted builds only", 1)[0]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    names = set(re.findall(r"^[A-Za-z][^;{}()#]*?\b(elfmod_[a-z0-9_]+)\s*\(", text, flags=re.M))
    return sorted(n for n in names if not n.startswith("elfmod_posix_"))


def link_check(cc, flags, objs, core_globals, public, work, root):
    refs = sorted(set(public) | core_globals)
    stub = os.path.join(work, "stub.c")
    with open(stub, "w") as f:
        # The memory functions a firmware without a C library adds (src/port/mem.c).
        f.write('#include "%s"\n' % os.path.join(root, "src", "port", "mem.c"))
        # Declared as arrays of char only to take addresses: the types do not matter to
        # the linker, and the table keeps every function alive through --gc-sections.
        for n in refs:
            f.write("extern char %s[];\n" % n)
        f.write("const void *const elfmod_fs_keep[] = {\n")
        for n in refs:
            f.write("\t%s,\n" % n)
        f.write("};\n")
    stub_o = os.path.join(work, "stub.o")
    must([cc] + flags + ["-std=c11", "-Os", "-ffreestanding", "-fno-tree-loop-distribute-patterns",
                         "-c", stub, "-o", stub_o],
         "compiling the link stub")
    elf = os.path.join(work, "core.elf")
    must([cc] + flags + ["-nostdlib", "-Wl,--gc-sections", "-Wl,-e,0",
                         "-Wl,-u,elfmod_fs_keep", "-o", elf] + objs + [stub_o, "-lgcc"],
         "linking the core with -nostdlib -lgcc")
    return elf


def check_target(args, name):
    cc, tflags = TARGETS[name]
    if shutil.which(cc) is None:
        raise Fail("%s not found" % cc)
    prefix = cc[:-len("gcc")]
    nm, size_tool = prefix + "nm", prefix + "size"
    root = os.path.abspath(args.source_dir)
    work = os.path.join(os.path.abspath(args.work_dir), name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    warnings = args.warnings.split()
    srcs = core_sources(root)
    flags = tflags + BASE_FLAGS + warnings

    objs = compile_all(cc, flags, root, srcs, os.path.join(work, "default"), [])
    objs0 = compile_all(cc, flags, root, srcs, os.path.join(work, "noreloc"),
                        ["-DELFMOD_CFG_RELOC_NAMES=0"])
    print("%s: %s %s, %d core files" % (name, cc, " ".join(tflags), len(srcs)))

    # Undefined symbols versus what this target's libgcc provides.
    libgcc = must([cc] + tflags + ["-print-libgcc-file-name"], "locating libgcc").strip()
    if not os.path.exists(libgcc):
        raise Fail("libgcc %s does not exist" % libgcc)
    gcc_defs, _ = nm_symbols(nm, libgcc)
    problems = []
    for variant, olist in (("default", objs), ("ELFMOD_CFG_RELOC_NAMES=0", objs0)):
        defined, undefined = set(), {}
        for o in olist:
            d, u = nm_symbols(nm, o)
            defined |= d
            for s in u:
                undefined.setdefault(s, []).append(os.path.basename(o))
        external = {s: w for s, w in undefined.items() if s not in defined}
        helpers = []
        for s in sorted(external):
            if s in MEM_FUNCS:
                continue
            if s in gcc_defs:
                helpers.append(s)
                continue
            problems.append("%s (%s): needs %s, which is neither a core symbol, mem*, nor in %s"
                            % (variant, ", ".join(external[s]), s, libgcc))
        arith = [h for h in helpers if ARITH_HELPERS.match(h)]
        if variant == "default":
            core_globals = defined
            print("  libgcc: %s" % libgcc)
            print("  external symbols: %s" % " ".join(sorted(external)))
            if arith:
                print("  NOTE: multiply/divide helpers used (present in this libgcc): %s"
                      % " ".join(arith))
    if problems:
        raise Fail("forbidden external symbols:\n  " + "\n  ".join(problems))

    public = public_functions(os.path.join(root, "include", "elfmod.h"))
    elf = link_check(cc, tflags, objs, core_globals, public, work, root)
    _, left = nm_symbols(nm, elf)
    if left:
        raise Fail("linked image still has undefined symbols: %s" % " ".join(sorted(left)))
    print("  link: ok (-nostdlib --gc-sections -lgcc, %d public functions and %d core globals kept)"
          % (len(public), len(core_globals)))

    s1, s0 = section_sizes(size_tool, objs), section_sizes(size_tool, objs0)
    print("  size (objects summed): .text %d  .rodata %d  .data %d  .bss %d" %
          (s1["text"], s1["rodata"], s1["data"], s1["bss"]))
    print("  size with ELFMOD_CFG_RELOC_NAMES=0: .text %d  .rodata %d  .data %d  .bss %d" %
          (s0["text"], s0["rodata"], s0["data"], s0["bss"]))
    if s1["data"] or s1["bss"]:
        problems.append("the core has writable globals (.data %d, .bss %d bytes)"
                        % (s1["data"], s1["bss"]))

    frames = read_su(objs)
    frames.sort(key=lambda f: -f[0])
    dyn = [f for f in frames if "dynamic" in f[1] and "bounded" not in f[1]]
    big = frames[0]
    print("  largest frame: %d bytes, %s (%s)" % (big[0], big[2].split(":")[-1], big[1]))
    for f in frames[1:4]:
        print("    then %d bytes, %s" % (f[0], f[2].split(":")[-1]))
    if dyn:
        problems.append("unbounded stack frames: " + ", ".join(f[2] for f in dyn))

    frame, edges, external = read_callgraph(objs)
    memo, cycles = worst_paths(frame, edges)
    if cycles:
        problems.append("recursion in the call graph: " +
                        "; ".join(" -> ".join(short(f) for f in c) for c in cycles))
    else:
        print("  call graph: no recursion")
    entry = max(memo, key=lambda f: memo[f][0])
    print("  worst-case stack (call graph): %d bytes via %s" %
          (memo[entry][0], " -> ".join("%s(%d)" % (short(f), frame[f]) for f in memo[entry][1])))
    for fn in public:
        if fn in memo and fn != entry:
            print("    %-28s %5d bytes" % (fn, memo[fn][0]))
    cb = sorted({short(f) for f in edges if "__indirect_call" in edges[f]})
    print("  not counted: callees outside the core (%s), caller callbacks (indirect calls in %s)"
          % (" ".join(sorted(e for e in external if e != "__indirect_call")), " ".join(cb)))
    if problems:
        raise Fail("\n  ".join(problems))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work-dir", required=True)
    ap.add_argument("--warnings", default="-Wall -Wextra -Wmissing-prototypes -Wshadow -Werror",
                    help="space-separated; pass as --warnings=... (they start with '-')")
    ap.add_argument("targets", nargs="+", choices=sorted(TARGETS))
    args = ap.parse_args()
    failed = 0
    for t in args.targets:
        try:
            check_target(args, t)
            print("%s: PASS" % t)
        except Fail as e:
            print("%s: FAIL: %s" % (t, e))
            failed += 1
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
