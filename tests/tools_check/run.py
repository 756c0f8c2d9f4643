#!/usr/bin/env python3
"""tests/tools_check: `elfmod check MODULE --exports FIRMWARE.elf|exports.c`.

  run.py host ELFMOD SRC_ROOT WORK
      x86-64: a module that loads (exit 0; alignment, sizes, a weak import left at 0),
      unresolved imports named with the functions using them (ET_REL and ET_DYN), an
      unsupported relocation type (.reloc), an i386 object (machine mismatch), hash
      collisions in a hashed table, ABI fingerprints (match, mismatch, malformed), the
      exports.c and firmware-listing inputs, a firmware's ELFMOD_EXPORT entries (fixed and
      position-independent), modules loaded before (--dep: imports from them, names
      exported twice), modules that are not ELF or not modules, usage errors; every
      report also as --json, parsed and compared.
  run.py arm ELFMOD SRC_ROOT WORK       (arm-none-eabi-gcc)
      float ABI (-mfloat-abi=hard against soft), A32 code for a Cortex-M firmware, a
      Cortex-M4 module on a Cortex-M0, an unsupported relocation.
  run.py riscv ELFMOD SRC_ROOT WORK     (riscv64-unknown-elf-gcc)
      float ABI (ilp32f against ilp32), RVE, compressed code on a firmware without C,
      an unsupported relocation, an ARM module on a RISC-V firmware.
  run.py machines ELFMOD SRC_ROOT WORK  (the Linux cross compilers, xtensa-lx106-elf-gcc)
      every machine elfmod loads: relocatable and shared modules that load, one that
      does not; the generated exports.c compiles for each; MIPS float ABI.
  run.py cortexm ELFMOD SRC_ROOT DIR
      The verdicts on the firmware and modules of tests/cortexm_modules (DIR: its build
      directory) are what that firmware finds when it loads them under QEMU: pure.o
      refused on the Cortex-M0 only (ALU_ABS_G* relocations), bad.o refused for
      fw_not_exported, app.o loading after lib.o, souser.o after shlib.so.
"""
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from harness import WARN, case, check, finish, run  # noqa: E402


class Env:
    def __init__(self, elfmod, root, work):
        self.elfmod = elfmod
        self.root = root
        self.src = os.path.join(root, "tests", "tools_check")
        self.inc = ["-I", os.path.join(root, "include"), "-I", self.src]
        if os.path.isdir(work):
            shutil.rmtree(work)
        os.makedirs(work)
        self.work = work

    def w(self, *p):
        return os.path.join(self.work, *p)

    def s(self, name):
        return os.path.join(self.src, name)

    def check(self, module, exports, expect, *extra):
        """`elfmod check`, in text and in JSON: both must agree on the verdict."""
        ex = []
        for e in exports if isinstance(exports, list) else [exports]:
            ex += ["--exports", e]
        cmd = [self.elfmod, "check", module] + ex + list(extra)
        text = run(cmd, expect=expect)
        js = run(cmd + ["--json"], expect=expect)
        try:
            report = json.loads(js.stdout)
        except ValueError as e:
            raise AssertionError("--json output is not JSON (%s): %s" % (e, js.stdout))
        check(report["loads"] == (expect == 0), "JSON loads=%s with exit %d" % (report["loads"], expect))
        check(("result: loads" in text.stdout) == (expect == 0), "text verdict: %s" % text.stdout)
        check(len(report["errors"]) == text.stdout.count("\nerror: "), "errors differ between text and JSON")
        return text.stdout, report


def errors_with(report, *words):
    return [e for e in report["errors"] if all(w in e for w in words)]


# ---- host ----

def host(env):
    w, s = env.w, env.s
    cc = "gcc"
    run([cc, "-O2", "-nostdlib", "-static", "-Wl,-e,fw_start", s("fw.c"), "-o", w("fw.elf")])
    with open(w("deny_fy.txt"), "w") as f:
        f.write("coll_FY\n")
    run([env.elfmod, "exports", w("fw.elf"), "-o", w("fw_exports.c"), "--header", w("fw_exports.h")])
    run([env.elfmod, "exports", w("fw.elf"), "--hashed", "--deny", w("deny_fy.txt"), "-o", w("hashed.c")])
    objs = {
        "good": [s("mod_good.c")],
        "good_abi": ["-DRECORD_ABI", "-I", w(), s("mod_good.c")],
        "other_abi": ["-DOTHER_ABI", s("mod_good.c")],
        "unresolved": [s("mod_unresolved.c")],
        "collide": [s("mod_collide.c")],
        "reloc": ["-DRELOC_TYPE=R_X86_64_TPOFF32", s("mod_reloc.c")],
        "alias": [s("mod_alias.c")],
        "provider": [s("mod_provider.c")],
        "consumer": [s("mod_consumer.c")],
        "consumer_unmarked": ["-DUSE_UNMARKED", s("mod_consumer.c")],
    }
    for name, args in objs.items():
        run([cc, "-O2", "-c"] + env.inc + args + ["-o", w(name + ".o")])
    run([cc, "-O2", "-fPIC", "-shared", "-nostdlib", s("mod_good.c"), "-o", w("good.so")])
    run([cc, "-O2", "-fPIC", "-shared", "-nostdlib", s("mod_unresolved.c"), "-o", w("unresolved.so")])
    run(["as", "--32", s("m32.s"), "-o", w("m32.o")])
    run([cc, "-O2", "-fPIC", "-shared", "-nostdlib"] + env.inc + [s("mod_provider.c"), "-o", w("provider.so")])
    coll = [s("fw.c"), s("fw_collected.c")]
    run([cc, "-O2", "-nostdlib", "-static", "-Wl,-e,fw_start"] + env.inc + coll + ["-o", w("fw_coll.elf")])
    run([cc, "-O2", "-fPIE", "-pie", "-nostdlib", "-Wl,-e,fw_start"] + env.inc + coll + ["-o", w("fw_coll_pie.elf")])

    def good():
        text, r = env.check(w("good.o"), w("fw.elf"), 0)
        check(r["type"] == "REL" and r["machine"] == 62, "header: %s" % r)
        check(r["alignment"] == 64, "alignment %s, want 64" % r["alignment"])
        sz = r["sizes"]
        check(sz["text"] > 0 and sz["data"] >= 12 + 64 and sz["bss"] >= 100, "sizes %s" % sz)
        imp = {i["name"]: i for i in r["imports"]}
        check(imp["fw_add"]["status"] == "resolved" and imp["fw_counter"]["status"] == "resolved",
              "imports: %s" % imp)
        check(imp["fw_add"]["referenced_by"] == ["mod_main"], "referenced_by %s" % imp["fw_add"])
        check(imp["fw_optional"]["status"] == "weak_zero" and imp["fw_optional"]["weak"], "weak: %s" % imp)
        check("weak, not exported (0): fw_optional" in text, text)
        check(r["fingerprint"]["status"] == "not recorded", "fingerprint %s" % r["fingerprint"])
        check("alignment: 64" in text and "sizes: text " in text, text)
        text, r = env.check(w("good.so"), w("fw.elf"), 0)
        check(r["type"] == "DYN" and not r["unresolved"], "shared object: %s" % r)

    def unresolved():
        text, r = env.check(w("unresolved.o"), w("fw.elf"), 1)
        check(sorted(r["unresolved"]) == ["fw_missing", "fw_missing_data"], "unresolved %s" % r["unresolved"])
        check(errors_with(r, "'fw_missing'", "uses_missing"), "function not named: %s" % r["errors"])
        check(errors_with(r, "'fw_missing_data'", "also_missing"), "function not named: %s" % r["errors"])
        check("error: unresolved import 'fw_missing' (referenced by uses_missing)" in text, text)
        text, r = env.check(w("unresolved.so"), w("fw.elf"), 1)
        check(sorted(r["unresolved"]) == ["fw_missing", "fw_missing_data"], "shared: %s" % r["unresolved"])

    def reloc():
        text, r = env.check(w("reloc.o"), w("fw.elf"), 1)
        u = r["relocations"]["unsupported"]
        check(len(u) == 1 and u[0]["name"] == "R_X86_64_TPOFF32" and u[0]["first_in"] == "tls_user",
              "unsupported: %s" % u)
        check("R_X86_64_TPOFF32 (1x, first in tls_user)" in text, text)

    def machine():
        text, r = env.check(w("m32.o"), w("fw.elf"), 1)
        check(errors_with(r, "machine", "i386 (3)", "x86-64 (62)"), "machine: %s" % r["errors"])

    def collisions():
        for ex, extra in ((w("hashed.c"), []), (w("fw.elf"), ["--hashed", "--deny", w("deny_fy.txt")])):
            text, r = env.check(w("collide.o"), ex, 1, *extra)
            check(r["collisions"] == [{"name": "coll_FY", "binds_to": "coll_Ez"}], "collisions %s" % r["collisions"])
            check("import 'coll_FY' would bind to 'coll_Ez' by a hash collision" in text, text)
        # With names on the device, coll_FY is just another export.
        env.check(w("collide.o"), w("fw_exports.c"), 0)
        # coll_FY denied from a named table: unresolved, not a collision.
        text, r = env.check(w("collide.o"), w("fw.elf"), 1, "--deny", w("deny_fy.txt"))
        check(r["unresolved"] == ["coll_FY"] and not r["collisions"], "named: %s" % r)

    def fingerprint():
        text, r = env.check(w("good_abi.o"), w("fw_exports.c"), 0)
        check(r["fingerprint"]["status"] == "match", "%s" % r["fingerprint"])
        env.check(w("good_abi.o"), w("fw.elf"), 0)
        text, r = env.check(w("other_abi.o"), w("fw_exports.c"), 1)
        check(r["fingerprint"] == {"module": "0x8877665544332211", "status": "mismatch"}, "%s" % r["fingerprint"])
        check(errors_with(r, "ABI fingerprint", "0x8877665544332211"), "%s" % r["errors"])
        # Two records (two objects partially linked, each with ELFMOD_MODULE_ABI).
        run(["ld", "-r", w("good_abi.o"), w("other_abi.o"), "-o", w("two_abi.o"), "-z", "muldefs"])
        text, r = env.check(w("two_abi.o"), w("fw_exports.c"), 1)
        check(r["fingerprint"]["status"] == "malformed", "%s" % r["fingerprint"])

    def inputs():
        # The firmware that compiled its exports.c carries the listing: same answers.
        run(["gcc", "-O2", "-nostdlib", "-static", "-Wl,-e,fw_start", "-ffreestanding"] + env.inc +
            ["-I", w(), s("fw.c"), w("fw_exports.c"), "-o", w("fw_with_table.elf")])
        text, r = env.check(w("good_abi.o"), w("fw_with_table.elf"), 0)
        check("listing of the table compiled into the firmware" in r["firmware"]["source"], r["firmware"])
        check(r["fingerprint"]["status"] == "match", "%s" % r["fingerprint"])
        env.check(w("unresolved.o"), w("fw_with_table.elf"), 1)
        # Both tables at once, searched in order: the hashed one first binds coll_FY wrongly.
        text, r = env.check(w("collide.o"), [w("hashed.c"), w("fw_exports.c")], 1)
        check(r["collisions"], "order of tables: %s" % r)
        env.check(w("collide.o"), [w("fw_exports.c"), w("hashed.c")], 0)
        # An exports.c that was edited is refused (exit 2), as is a file that is neither.
        src = open(w("fw_exports.c")).read()
        i = src.index(" * sym 0x") + len(" * sym 0x")
        open(w("edited.c"), "w").write(src[:i] + ("0" if src[i] != "0" else "1") + src[i + 1:])
        p = run([env.elfmod, "check", w("good.o"), "--exports", w("edited.c")], expect=2)
        check("export listing" in p.stderr and p.stdout == "", "edited: %s" % p.stderr)
        # A table line counting more names than it lists: refused for the count, with no
        # array of that many entries made first.
        huge = re.sub(r"( \* table \S+ \S+ )\d+ ", r"\g<1>2147483647 ", src, count=1)
        check(huge != src, "table line not found")
        open(w("huge_count.c"), "w").write(huge)
        p = run([env.elfmod, "check", w("good.o"), "--exports", w("huge_count.c")], expect=2)
        check("fewer sym lines than the table line counts" in p.stderr and p.stdout == "",
              "huge count: %s" % p.stderr)
        cut = src.replace(" * end\n", "")
        open(w("cut.c"), "w").write(cut)
        p = run([env.elfmod, "check", w("good.o"), "--exports", w("cut.c")], expect=2)
        check("'end'" in p.stderr, "cut: %s" % p.stderr)
        p = run([env.elfmod, "check", w("good.o"), "--exports", s("fw.c")], expect=2)
        check("neither an ELF file nor an exports.c" in p.stderr, "plain C: %s" % p.stderr)
        p = run([env.elfmod, "check", w("good.o"), "--exports", w("good.o")], expect=2)
        check("not a linked firmware" in p.stderr, "object as firmware: %s" % p.stderr)

    def collected():
        for fw in (w("fw_coll.elf"), w("fw_coll_pie.elf")):
            text, r = env.check(w("alias.o"), fw, 0)
            t = r["firmware"]["tables"]
            check(len(t) == 1 and t[0]["count"] == 2 and t[0]["fingerprint"] is None, "tables %s" % t)
            check("ELFMOD_EXPORT" in r["firmware"]["source"], r["firmware"])
            # fw_counter is a global of the firmware but not exported: only its alias is.
            text, r = env.check(w("good.o"), fw, 1)
            check(r["unresolved"] == ["fw_counter"], "%s: %s" % (fw, r["unresolved"]))

    def deps():
        text, r = env.check(w("consumer.o"), w("fw.elf"), 1)
        check(sorted(r["unresolved"]) == ["prov_twice", "prov_value"], "%s" % r["unresolved"])
        for dep in (w("provider.o"), w("provider.so")):
            text, r = env.check(w("consumer.o"), w("fw.elf"), 0, "--dep", dep)
            imp = {i["name"]: i for i in r["imports"]}
            check(imp["prov_twice"]["table"] == dep and imp["fw_add"]["table"] == "(symbol table)", "%s" % imp)
            check("from modules loaded before" in text, text)
        # Only what the provider marks with ELFMOD_MODULE_EXPORT; a shared object offers all.
        text, r = env.check(w("consumer_unmarked.o"), w("fw.elf"), 1, "--dep", w("provider.o"))
        check(r["unresolved"] == ["prov_helper"], "%s" % r["unresolved"])
        env.check(w("consumer_unmarked.o"), w("fw.elf"), 0, "--dep", w("provider.so"))
        # A module may not export a name a loaded module exports.
        text, r = env.check(w("provider.o"), w("fw.elf"), 1, "--dep", w("provider.so"))
        check(errors_with(r, "exports 'prov_twice'", "ELFMOD_EDUP"), "%s" % r["errors"])
        p = run([env.elfmod, "check", w("consumer.o"), "--exports", w("fw.elf"), "--dep", w("fw.elf")], expect=2)
        check("--dep takes" in p.stderr, p.stderr)

    def bad_modules():
        data = open(w("good.o"), "rb").read()
        open(w("truncated.o"), "wb").write(data[:200])
        text, r = env.check(w("truncated.o"), w("fw.elf"), 1)
        check(errors_with(r, "not a module elfmod can read"), "%s" % r["errors"])
        text, r = env.check(s("fw.c"), w("fw.elf"), 1)
        check(errors_with(r, "not an ELF file"), "%s" % r["errors"])
        p = run([env.elfmod, "check", w("fw.elf"), "--exports", w("fw.elf")], expect=2)
        check("ET_REL" in p.stderr and p.stdout == "", "executable as module: %s" % p.stderr)

    def usage():
        for args in ([w("good.o")], ["--exports", w("fw.elf")], [w("good.o"), "--exports"],
                     [w("good.o"), "--exports", w("fw.elf"), "--frobnicate"],
                     [w("good.o"), w("good.o"), "--exports", w("fw.elf")]):
            p = run([env.elfmod, "check"] + args, expect=2)
            check("usage" in p.stderr and p.stdout == "", "usage: %s" % p.stderr)
        p = run([env.elfmod, "check", w("good.o"), "--exports", w("no_such.elf")], expect=2)
        check("no_such.elf" in p.stderr, p.stderr)

    case("a module that loads (ET_REL, ET_DYN)", good)
    case("unresolved imports, with the functions using them", unresolved)
    case("an unsupported relocation type", reloc)
    case("machine mismatch (i386 object, x86-64 firmware)", machine)
    case("hash collisions in a hashed table", collisions)
    case("ABI fingerprints", fingerprint)
    case("firmware inputs: listing in the firmware, exports.c, several tables, refusals", inputs)
    case("a firmware's ELFMOD_EXPORT entries (ET_EXEC and PIE)", collected)
    case("modules loaded before (--dep)", deps)
    case("modules that are not modules", bad_modules)
    case("usage errors", usage)


# ---- ARM (Cortex-M) ----

def arm(env):
    w, s = env.w, env.s
    cc = "arm-none-eabi-gcc"
    m4 = ["-mcpu=cortex-m4", "-mthumb", "-O2"]
    link = ["-nostdlib", "-Wl,-e,fw_start", "-Wl,--build-id=none"]
    run([cc] + m4 + ["-mfloat-abi=soft"] + link + [s("fw.c"), "-o", w("fw_m4.elf"), "-lgcc"])
    run([cc, "-mcpu=cortex-m0", "-mthumb", "-O2"] + link + [s("fw.c"), "-o", w("fw_m0.elf"), "-lgcc"])
    run([env.elfmod, "exports", w("fw_m4.elf"), "-o", w("fw_m4.c"), "--header", w("fw_m4.h")])
    run([cc] + m4 + WARN + ["-ffreestanding", "-c"] + env.inc + [w("fw_m4.c"), "-o", w("fw_m4_exports.o")])
    mods = {
        "soft": m4 + ["-mfloat-abi=soft", s("mod_float.c")],
        "hard": m4 + ["-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", s("mod_float.c")],
        "a32": ["-marm", "-O2", s("mod_good.c")],
        "good": m4 + [s("mod_good.c")],
        "reloc": m4 + ["-DRELOC_TYPE=R_ARM_TLS_LE32", s("mod_reloc.c")],
    }
    for name, args in mods.items():
        run([cc, "-c"] + env.inc + args + ["-o", w(name + ".o")])

    def good():
        for ex in (w("fw_m4.elf"), w("fw_m4.c")):
            env.check(w("soft.o"), ex, 0)
            env.check(w("good.o"), ex, 0)

    def float_abi():
        text, r = env.check(w("hard.o"), w("fw_m4.elf"), 1)
        check(errors_with(r, "float ABI", "hard-float", "soft-float"), "%s" % r["errors"])
        text, r = env.check(w("hard.o"), w("fw_m4.c"), 1)
        check(errors_with(r, "float ABI"), "exports.c: %s" % r["errors"])

    def a32():
        text, r = env.check(w("a32.o"), w("fw_m4.elf"), 1)
        check(errors_with(r, "ARM (A32) code in mod_main", "Thumb code only"), "%s" % r["errors"])

    def arch():
        text, r = env.check(w("good.o"), w("fw_m0.elf"), 1)
        check(errors_with(r, "ARMv7E-M", "firmware's CPU"), "%s" % r["errors"])

    def reloc():
        text, r = env.check(w("reloc.o"), w("fw_m4.elf"), 1)
        u = r["relocations"]["unsupported"]
        check(len(u) == 1 and u[0]["name"] == "R_ARM_TLS_LE32" and u[0]["first_in"] == "tls_user", "%s" % u)

    case("ARM: Thumb modules that load", good)
    case("ARM: float ABI mismatch (hard against soft)", float_abi)
    case("ARM: A32 code for a Cortex-M firmware", a32)
    case("ARM: Cortex-M4 module on a Cortex-M0 firmware", arch)
    case("ARM: an unsupported relocation type", reloc)


# ---- RISC-V (bare metal) ----

def riscv(env):
    w, s = env.w, env.s
    cc = "riscv64-unknown-elf-gcc"
    link = ["-nostdlib", "-Wl,-e,fw_start", "-Wl,--build-id=none"]
    rv = ["-march=rv32imac", "-mabi=ilp32", "-O2"]
    run([cc] + rv + link + [s("fw.c"), "-o", w("fw.elf"), "-lgcc"])
    run([cc, "-march=rv32im", "-mabi=ilp32", "-O2"] + link + [s("fw.c"), "-o", w("fw_noc.elf"), "-lgcc"])
    run([env.elfmod, "exports", w("fw.elf"), "-o", w("fw.c")])
    run([cc] + rv + WARN + ["-ffreestanding", "-c"] + env.inc + [w("fw.c"), "-o", w("fw_exports.o")])
    mods = {
        "good": rv + [s("mod_float.c")],
        "f": ["-march=rv32imafc", "-mabi=ilp32f", "-O2", s("mod_float.c")],
        "e": ["-march=rv32ec", "-mabi=ilp32e", "-O2", s("mod_good.c")],
        "reloc": rv + ["-DRELOC_TYPE=R_RISCV_TPREL_HI20", s("mod_reloc.c")],
    }
    for name, args in mods.items():
        run([cc, "-c"] + env.inc + args + ["-o", w(name + ".o")])

    def good():
        env.check(w("good.o"), w("fw.elf"), 0)
        env.check(w("good.o"), w("fw.c"), 0)

    def abi():
        text, r = env.check(w("f.o"), w("fw.elf"), 1)
        check(errors_with(r, "ABI: the module is ilp32f, the firmware ilp32"), "%s" % r["errors"])
        check(errors_with(r, "extension 'f'"), "ISA: %s" % r["errors"])
        text, r = env.check(w("f.o"), w("fw.c"), 1)
        check(errors_with(r, "ilp32f"), "exports.c: %s" % r["errors"])
        text, r = env.check(w("e.o"), w("fw.elf"), 1)
        check(errors_with(r, "ilp32e"), "RVE: %s" % r["errors"])

    def compressed():
        text, r = env.check(w("good.o"), w("fw_noc.elf"), 1)
        check(errors_with(r, "compressed instructions"), "%s" % r["errors"])

    def reloc():
        text, r = env.check(w("reloc.o"), w("fw.elf"), 1)
        names = [u["name"] for u in r["relocations"]["unsupported"]]
        check(names == ["R_RISCV_TPREL_HI20"], "%s" % names)

    def machine():
        run(["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-O2", "-c", s("mod_good.c"), "-o",
             w("arm.o")])
        text, r = env.check(w("arm.o"), w("fw.elf"), 1)
        check(errors_with(r, "machine", "ARM (40)", "RISC-V (243)"), "%s" % r["errors"])

    case("RISC-V: a module that loads", good)
    case("RISC-V: float ABI, ISA and RVE mismatches", abi)
    case("RISC-V: compressed code on a firmware without C", compressed)
    case("RISC-V: an unsupported relocation type", reloc)
    case("RISC-V: an ARM module on a RISC-V firmware", machine)


# ---- every machine ----

MACHINES = [
    # compiler, flags, shared objects (the lx106 toolchain's are not ones elfmod loads)
    ("gcc", [], True),
    ("i686-linux-gnu-gcc", [], True),
    ("aarch64-linux-gnu-gcc", [], True),
    ("arm-linux-gnueabihf-gcc", [], True),
    ("riscv64-linux-gnu-gcc", [], True),
    ("mips-linux-gnu-gcc", [], True),
    ("mipsel-linux-gnu-gcc", [], True),
    ("xtensa-lx106-elf-gcc", [], False),
]


def machines(env):
    w, s = env.w, env.s
    for cc, flags, shared in MACHINES:
        def one(cc=cc, flags=flags, shared=shared):
            d = w(cc)
            os.makedirs(d)
            fw = os.path.join(d, "fw.elf")
            run([cc, "-O2"] + flags + ["-nostdlib", "-static", "-Wl,-e,fw_start", s("fw.c"), "-o", fw, "-lgcc"])
            ex = os.path.join(d, "fw_exports.c")
            run([env.elfmod, "exports", fw, "-o", ex])
            run([cc] + flags + WARN + ["-ffreestanding", "-c"] + env.inc + [ex, "-o", os.path.join(d, "ex.o")])
            for m in ("mod_good", "mod_unresolved"):
                run([cc, "-O2", "-c"] + flags + [s(m + ".c"), "-o", os.path.join(d, m + ".o")])
                if shared:
                    run([cc, "-O2", "-fPIC", "-shared", "-nostdlib"] + flags +
                        [s(m + ".c"), "-o", os.path.join(d, m + ".so")])
            kinds = [".o"] + ([".so"] if shared else [])
            for k in kinds:
                for e in (fw, ex):
                    text, r = env.check(os.path.join(d, "mod_good" + k), e, 0)
                    text, r = env.check(os.path.join(d, "mod_unresolved" + k), e, 1)
                    check(sorted(r["unresolved"]) == ["fw_missing", "fw_missing_data"],
                          "%s%s: %s" % (cc, k, r["unresolved"]))
                    if k == ".o":
                        check(errors_with(r, "'fw_missing'", "uses_missing"), "%s" % r["errors"])
        case("%s: modules that load and one that does not" % cc, one)

    def mips_float():
        d = w("mips-linux-gnu-gcc")
        run(["mips-linux-gnu-gcc", "-O2", "-msoft-float", "-c", s("mod_float.c"), "-o", w("mips_soft.o")])
        text, r = env.check(w("mips_soft.o"), os.path.join(d, "fw.elf"), 1)
        check(errors_with(r, "floating-point ABI", "soft-float"), "%s" % r["errors"])
        run(["mips-linux-gnu-gcc", "-O2", "-mnan=2008", "-c", s("mod_float.c"), "-o", w("mips_nan.o")])
        text, r = env.check(w("mips_nan.o"), os.path.join(d, "fw.elf"), 1)
        check(errors_with(r, "NaN encoding"), "%s" % r["errors"])

    case("MIPS: float ABI and NaN encoding mismatches", mips_float)


# ---- agreement with a firmware run ----

def cortexm(elfmod, d):
    for core in ("m0", "m3", "m4"):
        def one(core=core):
            p = lambda n: os.path.join(d, core, n)
            fw = p("fw.elf")
            check(os.path.exists(fw), "%s: not built (the cortexm_modules_images target)" % fw)
            for mod, deps, ok in (("lib.o", [], True), ("app.o", ["lib.o"], True), ("app.o", [], False),
                                  ("bad.o", [], False), ("shlib.so", [], True), ("souser.o", ["shlib.so"], True),
                                  ("pure.o", [], core != "m0")):
                args = [elfmod, "check", p(mod), "--exports", fw, "--json"]
                for dep in deps:
                    args += ["--dep", p(dep)]
                r = run(args, expect=0 if ok else 1)
                rep = json.loads(r.stdout)
                if mod == "bad.o":
                    check(rep["unresolved"] == ["fw_not_exported"], "bad.o: %s" % rep["unresolved"])
                if mod == "pure.o" and not ok:
                    names = sorted(u["name"] for u in rep["relocations"]["unsupported"])
                    check(names and all(n.startswith("R_ARM_THM_ALU_ABS_G") for n in names), "pure.o: %s" % names)
        case("cortexm_modules %s: check says what the firmware finds" % core, one)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "cortexm":
        cortexm(sys.argv[2], sys.argv[4])
        return finish()
    if len(sys.argv) != 5 or sys.argv[1] not in ("host", "arm", "riscv", "machines"):
        print(__doc__)
        return 2
    env = Env(sys.argv[2], sys.argv[3], sys.argv[4])
    {"host": host, "arm": arm, "riscv": riscv, "machines": machines}[sys.argv[1]](env)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
