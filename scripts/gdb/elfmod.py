# GDB commands for modules elfmod loaded into a target GDB cannot ask the process about
# (a firmware through a gdb stub, QEMU's or a probe's): they read the firmware's
# registry (struct elfmod_registry, a caller-owned list of loaded modules) from target
# memory and add each module's file, found on the host by the module's name, at the
# addresses elfmod gave its sections.
#
#   source scripts/gdb/elfmod.py
#   elfmod-symbols [REGISTRY [DIR...]]
#       Adds the symbols (and debug information) of every module in REGISTRY, an
#       expression for the firmware's struct elfmod_registry or a pointer to it
#       (default: the convenience variable $elfmod_registry, else "registry"). A
#       module's file is looked up by its name (opts.name at load), as given and by its
#       last path component, in each DIR (default: the current directory). Symbol files
#       this command added before are removed first, so running it again after loads and
#       unloads leaves exactly the loaded modules.
#         - A relocatable module must have been loaded with ELFMOD_LOAD_KEEP_SECTIONS:
#           add-symbol-file gets -s NAME ADDR for each section it placed
#           (struct elfmod_module::sections).
#         - A shared object or executable is added with -o BIAS (m->dyn->bias).
#   elfmod-symbols-auto FUNCTION [REGISTRY [DIR...]]
#       A breakpoint on FUNCTION, a function the firmware calls after each load and
#       unload, that runs elfmod-symbols and lets the target continue: the modules'
#       symbols then follow the firmware without a stop.
#
# The firmware's ELF file must carry debug information for struct elfmod_registry and
# struct elfmod_module (built with -g): fields are read by name, not by offset.
import os
import struct

import gdb


def _read_section_names(path):
    """Names of the sections of the ELF file at `path`, by index."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        raise gdb.GdbError("elfmod: %s: not an ELF file" % path)
    cls, enc = data[4], data[5]
    e = "<" if enc == 1 else ">"
    if cls == 2:
        shoff, = struct.unpack_from(e + "Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x3A)
    else:
        shoff, = struct.unpack_from(e + "I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x2E)

    def header(i):
        at = shoff + i * shentsize
        if cls == 2:
            name, _t, _fl, _a, off, size = struct.unpack_from(e + "IIQQQQ", data, at)
        else:
            name, _t, _fl, _a, off, size = struct.unpack_from(e + "IIIIII", data, at)
        return name, off, size

    if shoff and shnum == 0:
        shnum = header(0)[2]
    if shstrndx == 0xFFFF:
        shstrndx = struct.unpack_from(e + "I", data, shoff + (0x28 if cls == 2 else 0x18))[0]
    _n, stroff, strsize = header(shstrndx)
    names = []
    for i in range(shnum):
        n = header(i)[0]
        end = data.find(b"\0", stroff + n, stroff + strsize)
        names.append(data[stroff + n:end].decode("utf-8", "replace") if n < strsize and end >= 0 else "")
    return names


def _find_file(name, dirs):
    candidates = [name]
    base = os.path.basename(name)
    for d in dirs:
        candidates += [os.path.join(d, name), os.path.join(d, base)]
    for c in candidates:
        if os.path.isfile(c):
            return os.path.abspath(c)
    return None


def _registry(expr):
    v = gdb.parse_and_eval(expr)
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        v = v.dereference()
    return v


def _modules(expr):
    m = _registry(expr)["modules"]
    seen = set()
    while int(m) != 0 and int(m) not in seen:
        seen.add(int(m))
        yield m.dereference()
        m = m.dereference()["next"]


# Symbol files added by elfmod-symbols: removed before the next run adds the current set.
_added = []


def _remove_added():
    while _added:
        path = _added.pop()
        try:
            gdb.execute("remove-symbol-file %s" % path, to_string=True)
        except gdb.error:
            pass


def load_symbols(expr, dirs, quiet=False):
    """Adds every module of the registry `expr`; returns how many were added."""
    _remove_added()
    count = 0
    for m in _modules(expr):
        name = m["name"].string()
        path = _find_file(name, dirs)
        if not path:
            gdb.write("elfmod: %s: no such file in %s\n" % (name, ", ".join(dirs)))
            continue
        dyn = m["dyn"]
        if int(dyn) != 0:
            bias = int(dyn.dereference()["bias"]) & 0xFFFFFFFFFFFFFFFF
            cmd = "add-symbol-file %s -o 0x%x" % (path, bias)
        else:
            n = int(m["nsections"])
            if n == 0:
                gdb.write("elfmod: %s: its section addresses were not kept "
                          "(load it with ELFMOD_LOAD_KEEP_SECTIONS)\n" % name)
                continue
            names = _read_section_names(path)
            used = set()
            args = []
            for k in range(n):
                s = m["sections"][k]
                shndx, addr = int(s["shndx"]), int(s["addr"])
                sec = names[shndx] if shndx < len(names) else ""
                if not sec or sec in used:
                    # add-symbol-file places sections by name: a second section of
                    # the same name cannot be told apart.
                    gdb.write("elfmod: %s: section %u (%s) left out: its name is not unique\n"
                              % (name, shndx, sec))
                    continue
                used.add(sec)
                args.append("-s %s 0x%x" % (sec, addr))
            if not args:
                continue
            cmd = "add-symbol-file %s %s" % (path, " ".join(args))
        gdb.execute(cmd, to_string=True)
        _added.append(path)
        count += 1
        if not quiet:
            gdb.write("elfmod: added %s (%s)\n" % (name, path))
    return count


def _parse(argv):
    expr = argv[0] if argv else None
    if expr is None:
        conv = gdb.convenience_variable("elfmod_registry")
        expr = str(conv) if conv is not None else "registry"
    dirs = argv[1:] or ["."]
    return expr, dirs


class ElfmodSymbols(gdb.Command):
    """Add the symbols of the modules in an elfmod registry: elfmod-symbols [REGISTRY [DIR...]]."""

    def __init__(self):
        super().__init__("elfmod-symbols", gdb.COMMAND_FILES, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        expr, dirs = _parse(gdb.string_to_argv(arg))
        n = load_symbols(expr, dirs)
        gdb.write("elfmod: %d module%s\n" % (n, "" if n == 1 else "s"))


class _AutoBreakpoint(gdb.Breakpoint):
    def __init__(self, spec, expr, dirs):
        super().__init__(spec, internal=False)
        self.silent = True
        self.expr = expr
        self.dirs = dirs

    def stop(self):
        try:
            load_symbols(self.expr, self.dirs, quiet=True)
        except gdb.error as e:
            gdb.write("elfmod: %s\n" % e)
        return False


class ElfmodSymbolsAuto(gdb.Command):
    """Reload module symbols whenever FUNCTION runs: elfmod-symbols-auto FUNCTION [REGISTRY [DIR...]]."""

    def __init__(self):
        super().__init__("elfmod-symbols-auto", gdb.COMMAND_FILES, gdb.COMPLETE_SYMBOL)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv:
            raise gdb.GdbError("usage: elfmod-symbols-auto FUNCTION [REGISTRY [DIR...]]")
        expr, dirs = _parse(argv[1:])
        _AutoBreakpoint(argv[0], expr, dirs)


ElfmodSymbols()
ElfmodSymbolsAuto()
