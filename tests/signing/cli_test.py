#!/usr/bin/env python3
"""The signing commands of the CLI, end to end.

  cli_test.py tools ELFMOD WORKDIR MODULE   keygen, sign, verify and their refusals
  cli_test.py run   ELFMOD WORKDIR MODULE   `elfmod run --key` / `--sha256`: a signed
                                            module runs, anything else exits 125

MODULE is an object file with a main() that prints its arguments and returns 7.
Ends with the plain "N passed, N failed" line.
"""
import hashlib
import os
import shutil
import stat
import subprocess
import sys

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", file=sys.stderr)


def elfmod(*args):
    p = subprocess.run([ELFMOD, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def expect(args, rc, out=None, err=None):
    """Runs elfmod ARGS: exit code rc, and the given texts in stdout / stderr."""
    got, o, e = elfmod(*args)
    what = "elfmod " + " ".join(args)
    check(got == rc, f"{what}: exit {got}, want {rc}\nstdout: {o}\nstderr: {e}")
    if out is not None:
        check(out in o, f"{what}: stdout lacks {out!r}: {o!r}")
    if err is not None:
        check(err in e, f"{what}: stderr lacks {err!r}: {e!r}")
    return o, e


def flipped(src, dst, pos, bit=1):
    data = bytearray(open(src, "rb").read())
    data[pos] ^= bit
    open(dst, "wb").write(data)


def tools_test(mod):
    # keygen: two files, the secret one private; never over existing files
    o, _ = expect(["keygen", "a"], 0, out="key id ")
    expect(["keygen", "b"], 0)
    check(os.path.exists("a.pub") and os.path.exists("a.key"), "keygen wrote a.pub and a.key")
    check(stat.S_IMODE(os.stat("a.key").st_mode) == 0o600, "a.key has mode 0600")
    pub = open("a.pub").read()
    check(pub.startswith("elfmod-ed25519-public ") and len(pub.split()[1]) == 64,
          f"a.pub format: {pub!r}")
    check(open("a.key").read().startswith("elfmod-ed25519-secret "), "a.key format")
    before = open("a.key").read()
    expect(["keygen", "a"], 1, err="exists")
    check(open("a.key").read() == before, "a second keygen a leaves a.key alone")
    pk = bytes.fromhex(pub.split()[1])
    key_id = hashlib.sha256(pk).hexdigest()[:32]
    check(f"key id {key_id}" in o, f"keygen prints the key id {key_id}: {o!r}")

    # sign: ELF | 64-byte signature | 64-byte trailer, the ELF bytes unchanged
    elf = open(mod, "rb").read()
    expect(["sign", "--key", "a.key", mod, "-o", "m.signed"], 0, out="signed")
    s = open("m.signed", "rb").read()
    check(len(s) == len(elf) + 128 and s[:len(elf)] == elf, "signed file = ELF + 128 bytes")
    t = s[-64:]
    check(t[48:] == b"~elfmod signed~\n", "trailer magic")
    check(int.from_bytes(t[0:4], "little") == 1 and t[4] == 1 and t[5] == 1, "version, algorithms")
    check(int.from_bytes(t[8:12], "little") == 64, "sig_len 64")
    check(int.from_bytes(t[16:24], "little") == len(elf), "elf_size")
    check(t[24:40].hex() == key_id, "key id in the trailer")
    check(t[6:8] == b"\0\0" and t[12:16] == b"\0" * 4 and t[40:48] == b"\0" * 8, "zero fields")
    # the same key signs the same bytes the same way (Ed25519 is deterministic)
    expect(["sign", "--key", "a.key", mod, "-o", "m2.signed"], 0)
    check(open("m2.signed", "rb").read() == s, "signing is deterministic")

    # verify: good with the right key, among others too; prints the ELF digest
    digest = hashlib.sha256(elf).hexdigest()
    expect(["verify", "--key", "a.pub", "m.signed"], 0, out=f"sha256 {digest}")
    expect(["verify", "--key", "b.pub", "--key", "a.pub", "m.signed"], 0, out="good signature")
    # ... and each way of being invalid exits 1 with its reason
    expect(["verify", "--key", "b.pub", "m.signed"], 1, err=f"unknown key (key id {key_id})")
    expect(["verify", "--key", "a.pub", mod], 1, err="not signed")
    flipped("m.signed", "elf.bad", 20)
    expect(["verify", "--key", "a.pub", "elf.bad"], 1, err="signature mismatch")
    flipped("m.signed", "sig.bad", len(elf) + 5)
    expect(["verify", "--key", "a.pub", "sig.bad"], 1, err="signature mismatch")
    flipped("m.signed", "reserved.bad", len(s) - 64 + 41)
    expect(["verify", "--key", "a.pub", "reserved.bad"], 1, err="bad signature trailer")
    flipped("m.signed", "size.bad", len(s) - 64 + 16)
    expect(["verify", "--key", "a.pub", "size.bad"], 1, err="signed ELF size")
    flipped("m.signed", "alg.bad", len(s) - 64 + 5, 2)
    expect(["verify", "--key", "a.pub", "alg.bad"], 1, err="not Ed25519")
    flipped("m.signed", "id.bad", len(s) - 64 + 30)
    expect(["verify", "--key", "a.pub", "id.bad"], 1, err="unknown key")
    flipped("m.signed", "magic.bad", len(s) - 1)
    expect(["verify", "--key", "a.pub", "magic.bad"], 1, err="not signed")
    open("short", "wb").write(b"~elfmod signed~\n")
    expect(["verify", "--key", "a.pub", "short"], 1, err="not signed")

    # sign refuses what it should not vouch for
    expect(["sign", "--key", "a.key", "m.signed", "-o", "x"], 1, err="already signed")
    open("notelf", "wb").write(b"#!/bin/sh\necho not an ELF file\n")
    expect(["sign", "--key", "a.key", "notelf", "-o", "x"], 1, err="not an ELF file")
    check(not os.path.exists("x"), "a refused sign writes nothing")
    # key files are not interchangeable
    expect(["sign", "--key", "a.pub", mod, "-o", "x"], 2, err="not an elfmod secret key file")
    expect(["verify", "--key", "a.key", "m.signed"], 2, err="not an elfmod public key file")
    # usage errors
    expect(["sign", mod, "-o", "x"], 2, err="usage")
    expect(["verify", "m.signed"], 2, err="usage")
    expect(["keygen"], 2, err="usage")


def run_test(mod):
    expect(["keygen", "a"], 0)
    expect(["keygen", "b"], 0)
    expect(["sign", "--key", "a.key", mod, "-o", "m.signed"], 0)
    elf = open(mod, "rb").read()
    ran = "signed module: 2 args, last 'hello'"

    expect(["run", "--key", "a.pub", "m.signed", "--", "hello"], 7, out=ran)
    expect(["run", "--key", "b.pub", "--key", "a.pub", "m.signed", "--", "hello"], 7, out=ran)
    # refused: each exits 125 before main runs, so nothing is printed by the module
    for args in (["--key", "b.pub", "m.signed"], ["--key", "a.pub", mod]):
        o, _ = expect(["run", *args, "--", "hello"], 125)
        check("signed module" not in o, f"run {args}: the module did not run")
    for pos in (0x40, len(elf) - 1, len(elf) + 3, len(elf) + 64 + 24):
        flipped("m.signed", "t.bad", pos)
        o, e = expect(["run", "--key", "a.pub", "t.bad", "--", "hello"], 125)
        check("signed module" not in o, f"run of a file flipped at {pos}: the module did not run")

    # --sha256: the digest of the ELF bytes, of MODULE only
    digest = hashlib.sha256(elf).hexdigest()
    expect(["run", "--sha256", digest, mod, "--", "hello"], 7, out=ran)
    expect(["run", "--sha256", digest.upper(), mod, "--", "hello"], 7, out=ran)
    expect(["run", "--sha256", digest, "--key", "a.pub", "m.signed", "--", "hello"], 7, out=ran)
    wrong = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    o, _ = expect(["run", "--sha256", wrong, mod, "--", "hello"], 125)
    check("signed module" not in o, "run with a wrong digest: the module did not run")
    expect(["run", "--sha256", digest[:-1], mod], 2, err="64 hex digits")
    expect(["run", "--key", "missing.pub", mod], 2, err="cannot read")


if __name__ == "__main__":
    mode, ELFMOD, work, module = sys.argv[1:5]
    ELFMOD = os.path.abspath(ELFMOD)
    module = os.path.abspath(module)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chdir(work)
    {"tools": tools_test, "run": run_test}[mode](module)
    print(f"signing {mode}: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
