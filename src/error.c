/* Error texts and the one-line diagnostic formatter. Kept apart from the loader so a
 * firmware that never prints can leave it out at link time. */
#include "internal.h"

const char *elfmod_strerror(int err)
{
	switch (err) {
	case ELFMOD_OK: return "success";
	case ELFMOD_EINVAL: return "invalid argument";
	case ELFMOD_EIO: return "read error";
	case ELFMOD_ENOMEM: return "out of memory";
	case ELFMOD_ETRUNC: return "extends past end of file";
	case ELFMOD_EMAGIC: return "not an ELF file";
	case ELFMOD_ECLASS: return "bad ELF class";
	case ELFMOD_EDATA: return "bad byte order";
	case ELFMOD_EVERSION: return "bad ELF version";
	case ELFMOD_ETYPE: return "wrong ELF file type";
	case ELFMOD_EMACHINE: return "built for another machine";
	case ELFMOD_EHDRSIZE: return "bad header size";
	case ELFMOD_EINDEX: return "index out of range";
	case ELFMOD_ELINK: return "linked section has the wrong type";
	case ELFMOD_ESTRING: return "bad string";
	case ELFMOD_EALIGN: return "bad alignment";
	case ELFMOD_EOVERFLOW: return "size or address overflows";
	case ELFMOD_ESEGMENT: return "inconsistent segment";
	case ELFMOD_EOVERLAP: return "segments overlap";
	case ELFMOD_EWINDOW: return "outside the memory allowed";
	case ELFMOD_ENOLOAD: return "nothing to load";
	case ELFMOD_ELIMIT: return "exceeds a configured limit";
	case ELFMOD_EENTSIZE: return "bad table entry size";
	case ELFMOD_ENOTFOUND: return "not found";
	case ELFMOD_EUNSUPPORTED: return "not supported";
	case ELFMOD_ESPACE: return "buffer too small";
	case ELFMOD_EPERM: return "cannot set memory permissions";
	case ELFMOD_EUNDEF: return "unresolved symbol";
	case ELFMOD_ERANGE: return "value out of range (relocation field or loaded image)";
	case ELFMOD_ERELTYPE: return "unsupported relocation type";
	case ELFMOD_EBUSY: return "module in use";
	case ELFMOD_EDUP: return "exported twice, or ambiguous";
	case ELFMOD_EREACH: return "out of reach of the module's code";
	case ELFMOD_EVERIFY: return "integrity check failed";
	case ELFMOD_EABI: return "built against another firmware ABI (export-set fingerprint differs)";
	}
	return "unknown error";
}

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *s)
{
	for (; *s; s++, o->len++)
		if (o->len + 1 < o->size)
			o->buf[o->len] = *s;
}

/* No division here: 64-bit (and on Xtensa lx106 even 32-bit) division needs libgcc
 * helpers that some targets lack, so decimal digits come from subtracting powers of ten. */
static void put_num(struct out *o, uint64_t v, int hex)
{
	static const uint64_t pow10[20] = {
		10000000000000000000u, 1000000000000000000u, 100000000000000000u,
		10000000000000000u, 1000000000000000u, 100000000000000u, 10000000000000u,
		1000000000000u, 100000000000u, 10000000000u, 1000000000u, 100000000u, 10000000u,
		1000000u, 100000u, 10000u, 1000u, 100u, 10u, 1u,
	};
	char c[2] = { 0, 0 };
	int started = 0;

	if (hex) {
		put(o, "0x");
		/* Constant shifts only: variable 64-bit shifts are library calls on 32-bit targets. */
		for (int k = 0; k < 16; k++, v <<= 4) {
			unsigned dig = (unsigned)(v >> 60);
			if (dig || started || k == 15) {
				c[0] = "0123456789abcdef"[dig];
				put(o, c);
				started = 1;
			}
		}
		return;
	}
	for (int i = 0; i < 20; i++) {
		c[0] = '0';
		while (v >= pow10[i]) {
			v -= pow10[i];
			c[0]++;
		}
		if (c[0] != '0' || started || i == 19) {
			put(o, c);
			started = 1;
		}
	}
}

void elfmod__diag_name(struct elfmod_diag *d, const char *name)
{
	size_t i = 0;

	if (!d || !name)
		return;
	for (; name[i] && i + 1 < sizeof(d->name); i++)
		d->name[i] = name[i];
	d->name[i] = 0;
}

size_t elfmod_diag_format(const struct elfmod_diag *d, char *buf, size_t size)
{
	static const char *const objs[] = {
		[ELFMOD_OBJ_NONE] = "", [ELFMOD_OBJ_FILE] = "file", [ELFMOD_OBJ_EHDR] = "ELF header",
		[ELFMOD_OBJ_SHDR] = "section", [ELFMOD_OBJ_PHDR] = "segment", [ELFMOD_OBJ_SYM] = "symbol",
		[ELFMOD_OBJ_REL] = "relocation", [ELFMOD_OBJ_WINDOW] = "window",
		[ELFMOD_OBJ_DYN] = "dynamic entry",
	};
	struct out o = { buf, size, 0 };

	if (d->obj != ELFMOD_OBJ_NONE && d->obj < sizeof(objs) / sizeof(objs[0])) {
		put(&o, d->obj == ELFMOD_OBJ_DYN && d->index2 != ELFMOD_NOINDEX ? "dynamic relocation"
										 : objs[d->obj]);
		if (d->index != ELFMOD_NOINDEX) {
			put(&o, " ");
			put_num(&o, d->index, 0);
		}
		if (d->index2 != ELFMOD_NOINDEX) {
			put(&o, d->obj == ELFMOD_OBJ_SYM   ? " of symbol table "
				: d->obj == ELFMOD_OBJ_DYN ? " of the table of tag "
							   : " of section ");
			put_num(&o, d->index2, 0);
		}
		put(&o, ": ");
	}
	if (d->name[0]) {
		put(&o, "'");
		put(&o, d->name);
		put(&o, "': ");
	}
	if (d->field) {
		put(&o, d->field);
		put(&o, ": ");
	}
	put(&o, elfmod_strerror(d->err));
	if (d->field) {
		put(&o, " (value ");
		put_num(&o, d->value, 1);
		put(&o, ")");
	}
	if (d->module) {
		put(&o, " (module ");
		put(&o, d->module);
		put(&o, ")");
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len;
}
