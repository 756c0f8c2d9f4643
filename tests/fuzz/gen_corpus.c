/*
 * Writes the generated part of the fuzz seed corpus: valid files from elfbuild in both
 * classes and byte orders and in each layout the builder knows, all small. Run once by
 * hand when elfbuild changes:  gen_corpus tests/fuzz/corpus
 * (the corpus is kept in the tree; the fuzz_smoke test works on a copy of it).
 */
#include "elfbuild.h"

#include <stdio.h>

static int emit(const char *dir, const char *name, struct eb_opts o)
{
	struct eb_file f;
	char path[512];
	FILE *fp;
	int ok;

	if (eb_build(&f, &o)) {
		fprintf(stderr, "gen_corpus: cannot build %s\n", name);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/gen-elf%d%s-%s.elf", dir, o.cls, o.be ? "be" : "le", name);
	fp = fopen(path, "wb");
	ok = fp && fwrite(f.data, 1, f.size, fp) == f.size;
	if (fp && fclose(fp) != 0)
		ok = 0;
	eb_free(&f);
	if (!ok) {
		fprintf(stderr, "gen_corpus: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	for (int cls = 32; cls <= 64; cls += 32) {
		for (int be = 0; be <= 1; be++) {
			const struct eb_opts c = { .cls = cls, .be = be, .base = be ? 0x10000000 : 0x1000,
						   .machine = cls == 32 ? (be ? ELFMOD_EM_MIPS : ELFMOD_EM_ARM)
									: (be ? 20 : ELFMOD_EM_X86_64) };
			struct eb_opts o;

			o = c;
			bad |= emit(argv[1], "plain", o);
			o = c, o.xindex = 1;
			bad |= emit(argv[1], "xindex", o);
			o = c, o.xindex = 1, o.shdrs_first = 1;
			bad |= emit(argv[1], "shdrs-first", o);
			o = c, o.xindex = 1, o.ext_shnum = 1, o.ext_shstrndx = 1, o.ext_phnum = 1;
			bad |= emit(argv[1], "escapes", o);
			o = c, o.type = ELFMOD_ET_REL;
			bad |= emit(argv[1], "rel", o);
			o = c, o.no_sections = 1;
			bad |= emit(argv[1], "segments-only", o);
			o = c, o.nload = 6, o.paddr_delta = 0x8000;
			bad |= emit(argv[1], "six-loads", o);
			o = c, o.fillers = 20, o.xindex = 1;
			bad |= emit(argv[1], "fillers", o);
		}
	}
	return bad;
}
