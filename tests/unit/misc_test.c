/* Unit tests of the error texts and of the one-line diagnostic formatter. */
#include "check.h"

#include <limits.h>
#include <string.h>

static void test_strerror(void)
{
	static const char *seen[128];
	int n = 0, e;

	check_ctx = "strerror";
	CHECK(!strcmp(elfmod_strerror(ELFMOD_OK), "success"));
	/* The codes run from -1 down without a gap; each has its own text, and the first
	 * code past the last one has none. Walking until "unknown error" keeps this test
	 * covering codes added later. */
	for (e = ELFMOD_EINVAL; e > -128; e--) {
		const char *s = elfmod_strerror(e);
		CHECK(s != NULL && s[0] != 0);
		if (!strcmp(s, "unknown error"))
			break;
		for (int k = 0; k < n; k++)
			CHECK(strcmp(seen[k], s) != 0);
		seen[n++] = s;
	}
	/* At least every code up to EPERM, and no holes among them. */
	CHECK(n >= -ELFMOD_EPERM);
	CHECK_EQ(e, -n - 1);
	CHECK(!strcmp(elfmod_strerror(ELFMOD_EINDEX), "index out of range"));
	CHECK(!strcmp(elfmod_strerror(ELFMOD_ETRUNC), "extends past end of file"));
	CHECK(!strcmp(elfmod_strerror(ELFMOD_EPERM), "cannot set memory permissions"));
	/* Anything else, never NULL. */
	CHECK(!strcmp(elfmod_strerror(1), "unknown error"));
	CHECK(!strcmp(elfmod_strerror(INT_MIN), "unknown error"));
	CHECK(!strcmp(elfmod_strerror(INT_MAX), "unknown error"));
}

/* A diagnostic with only the given fields set (the rest zero, as a failure leaves them). */
static struct elfmod_diag mk(int err, uint8_t obj, uint32_t index, uint32_t index2,
			     const char *field, uint64_t value)
{
	struct elfmod_diag d;

	memset(&d, 0, sizeof(d));
	d.err = err;
	d.obj = obj;
	d.index = index;
	d.index2 = index2;
	d.field = field;
	d.value = value;
	return d;
}

static void expect(const struct elfmod_diag *d, const char *want)
{
	char buf[200];
	size_t n;

	memset(buf, 'x', sizeof(buf));
	n = elfmod_diag_format(d, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "diag_format: got \"%s\", want \"%s\"\n", buf, want);
	CHECK(!strcmp(buf, want));
	CHECK_EQ(n, strlen(want));
}

static void test_diag_format(void)
{
	struct elfmod_diag d = mk(ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, 7, ELFMOD_NOINDEX, "sh_link", 0x2a);
	char buf[64];
	size_t full, n;

	check_ctx = "diag_format";
	expect(&d, "section 7: sh_link: index out of range (value 0x2a)");
	d = mk(ELFMOD_ESTRING, ELFMOD_OBJ_SYM, 3, 5, "st_name", 0x99);
	expect(&d, "symbol 3 of symbol table 5: st_name: bad string (value 0x99)");
	d = mk(ELFMOD_EINDEX, ELFMOD_OBJ_REL, 2, 11, "r_info symbol", 4096);
	expect(&d, "relocation 2 of section 11: r_info symbol: index out of range (value 0x1000)");
	d = mk(ELFMOD_ETRUNC, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, ELFMOD_NOINDEX,
				  "e_phoff", 0);
	expect(&d, "ELF header: e_phoff: extends past end of file (value 0x0)");
	d = mk(ELFMOD_EOVERFLOW, ELFMOD_OBJ_PHDR, 4294967294u, ELFMOD_NOINDEX,
				  "p_filesz", UINT64_MAX);
	expect(&d, "segment 4294967294: p_filesz: size or address overflows (value 0xffffffffffffffff)");
	d = mk(ELFMOD_EWINDOW, ELFMOD_OBJ_WINDOW, 0, ELFMOD_NOINDEX, "window",
				  0x8000000000000000u);
	expect(&d, "window 0: window: outside the memory allowed (value 0x8000000000000000)");
	d = mk(ELFMOD_ENOLOAD, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, ELFMOD_NOINDEX,
				  "PT_LOAD", 0);
	expect(&d, "file: PT_LOAD: nothing to load (value 0x0)");
	/* No object, no field: just the text. */
	d = mk(ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, ELFMOD_NOINDEX,
				  NULL, 0);
	expect(&d, "invalid argument");
	d.err = 0;
	expect(&d, "success");
	/* An object kind the formatter does not know is left out, not read out of bounds. */
	d = mk(ELFMOD_EIO, 200, 1, ELFMOD_NOINDEX, "x", 1);
	expect(&d, "x: read error (value 0x1)");
	/* A code without a text. */
	d = mk(-1000, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, ELFMOD_NOINDEX, NULL, 0);
	expect(&d, "unknown error");

	/* Truncation: like snprintf, the wanted length comes back and the output is a
	 * NUL-terminated prefix that never passes the size. */
	d = mk(ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, 12345, ELFMOD_NOINDEX, "sh_info", 0xabc);
	full = elfmod_diag_format(&d, NULL, 0);
	CHECK_EQ(full, strlen("section 12345: sh_info: index out of range (value 0xabc)"));
	for (size_t size = 1; size <= full + 1; size++) {
		char ref[128];
		memset(buf, 'x', sizeof(buf));
		n = elfmod_diag_format(&d, buf, size);
		CHECK_EQ(n, full);
		CHECK_EQ(strlen(buf), size - 1 < full ? size - 1 : full);
		CHECK(buf[size] == 'x' || size == sizeof(buf));
		elfmod_diag_format(&d, ref, sizeof(ref));
		CHECK(!strncmp(buf, ref, strlen(buf)));
	}
	buf[0] = 'x';
	CHECK_EQ(elfmod_diag_format(&d, buf, 0), full);
	CHECK(buf[0] == 'x');
}

int main(void)
{
	test_strerror();
	test_diag_format();
	return check_done("unit_misc");
}
