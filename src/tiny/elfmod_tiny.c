/* The tiny loader for packed modules; the format is docs/format.md. Every size and
 * offset comes from the buffer, so each is checked before use, in 32 bits without
 * overflow (the sums are bounded one by one against the buffer length). */
#include "elfmod_tiny.h"

#include <string.h>

#define HDR 64u
#define ENTRY_RW 0x80000000u

/* Inlined: on targets that load unaligned words, GCC makes each one instruction. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t elfmod_tiny_hash(const char *name)
{
	uint32_t h = 5381;

	while (*name)
		h = h * 33 + (uint8_t)*name++;
	return h;
}

int elfmod_tiny_info(const void *buf, size_t len, struct elfmod_tiny_info *in)
{
	const uint8_t *b = buf;
	uint64_t need;
	uint32_t h = 2166136261u;

	if (!b || !in)
		return ELFMOD_TINY_EINVAL;
	if (len < HDR)
		return ELFMOD_TINY_ETRUNC;
	if (rd32(b) != 0x444f4d45u)
		return ELFMOD_TINY_EMAGIC;
	if (b[4] != 1)
		return ELFMOD_TINY_EVERSION;
	in->word = b[5];
	in->machine = (uint16_t)(b[6] | b[7] << 8);
	in->flags = rd32(b + 8);
	in->osabi = b[12];
	in->big_endian = b[13];
	in->ro_fixups = b[14];
	in->rw_exec = b[15];
	in->fingerprint = rd32(b + 16) | (uint64_t)rd32(b + 20) << 32;
	in->ro_size = rd32(b + 24);
	in->data_size = rd32(b + 28);
	in->bss_size = rd32(b + 32);
	in->state_size = rd32(b + 40);
	in->nentries = rd32(b + 44);
	/* Bytes 13-15 (big_endian, ro_fixups, rw_exec) are 0 or 1. */
	if ((in->word != 4 && in->word != 8) || (rd32(b + 12) & 0xfefefe00u) || b[48] > 16 || b[49] > 16 ||
	    in->bss_size > 0xffffffffu - in->data_size || (rd32(b + 36) & 3))
		return ELFMOD_TINY_ELAYOUT;
	in->ro_align = 1u << b[48];
	in->rw_align = 1u << b[49];
	/* Payload: ro image, data image, relocation stream, entries; nothing after. */
	need = (uint64_t)in->ro_size + in->data_size + rd32(b + 36) + (uint64_t)in->nentries * 8;
	if (need != len - HDR)
		return need > len - HDR ? ELFMOD_TINY_ETRUNC : ELFMOD_TINY_ELAYOUT;
	/* FNV-1a over everything but the checksum field itself. */
	for (size_t i = 0; i < len; i++)
		if (i - 60 > 3)
			h = (h ^ b[i]) * 16777619u;
	return h == rd32(b + 60) ? ELFMOD_TINY_OK : ELFMOD_TINY_ECHECKSUM;
}

struct walk {
	const struct elfmod_tiny_opts *o;
	struct elfmod_tiny *t;
	uint32_t lim[2];    /* a fix-up's offset is below this in the RO and the RW block
			     * (0 for RO when the header says nothing writes it) */
	uint8_t *at[2];     /* where they are written; NULL while validating */
};

static void fix(uint8_t *p, uintptr_t v)
{
	uintptr_t w;

	memcpy(&w, p, sizeof(w));
	w += v;
	memcpy(p, &w, sizeof(w));
}

/* One pass over the relocation stream: checks it (at[] NULL) or applies it. */
static int walk(struct walk *w, const uint8_t *p, const uint8_t *end)
{
	while (p < end) {
		uint32_t head = rd32(p), n = head >> 8, kind = head & 3, loc = (head >> 2) & 1, next = 0;
		uintptr_t v = kind == 0 ? w->t->ro : w->t->rw;

		p += 4;
		/* n < 2^24, so n + 1 does not wrap. */
		if ((head & 0xf8) || n + (kind >> 1) > (uint32_t)(end - p) / 4)
			return ELFMOD_TINY_ERELOC;
		if (kind & 2) {
			size_t i = 0;
			uint32_t name = rd32(p);

			p += 4;
			/* 3: by position in the caller's table - the one the module was packed
			 * against only if the caller names its fingerprint (the header's was
			 * compared with it; pack writes one with every such group). */
			if (kind == 3) {
				if (!w->o->fingerprint)
					return ELFMOD_TINY_EABI;
				i = name;
			} else {
				while (i < w->o->nimports && w->o->imports[i].hash != name)
					i++;
			}
			if (i >= w->o->nimports) {
				w->t->missing = name;
				return ELFMOD_TINY_EUNDEF;
			}
			v = w->o->imports[i].addr;
		}
		for (; n; n--, p += 4) {
			uint32_t e = rd32(p), bits = e & 1 ? e >> 1 : 1, at = e & 1 ? next : e >> 1;

			for (; bits; bits >>= 1, at += sizeof(uintptr_t)) {
				if (!(bits & 1))
					continue;
				if (at >= w->lim[loc])
					return ELFMOD_TINY_ERELOC;
				if (w->at[loc])
					fix(w->at[loc] + at, v);
			}
			next = e & 1 ? next + 31 * sizeof(uintptr_t) : at;
		}
	}
	return ELFMOD_TINY_OK;
}

int elfmod_tiny_load(const void *buf, size_t len, const struct elfmod_tiny_opts *o, struct elfmod_tiny *t)
{
	const uint8_t *b = buf, *rel, *ent;
	struct elfmod_tiny_info in;
	struct walk w;
	int rc;

	if (!o || !t)
		return ELFMOD_TINY_EINVAL;
	rc = elfmod_tiny_info(buf, len, &in);
	if (rc)
		return rc;
	if (o->machine && o->machine != in.machine)
		return ELFMOD_TINY_EMACHINE;
	if (in.word != sizeof(uintptr_t))
		return ELFMOD_TINY_EWORD;
	if (o->fingerprint && in.fingerprint && o->fingerprint != in.fingerprint)
		return ELFMOD_TINY_EABI;
	t->ro = o->ro ? (uintptr_t)o->ro : (uintptr_t)(b + HDR);
	t->rw = (uintptr_t)o->rw;
	t->ro_size = in.ro_size;
	t->rw_size = in.data_size + in.bss_size;
	t->state_size = in.state_size;
	t->nentries = in.nentries;
	t->missing = 0;
	if ((o->ro ? o->ro_cap < in.ro_size : in.ro_fixups) || (t->ro & (in.ro_align - 1)) ||
	    (t->rw_size && (!o->rw || o->rw_cap < t->rw_size)) || (t->rw & (in.rw_align - 1)))
		return ELFMOD_TINY_ESPACE;
	rel = b + HDR + in.ro_size + in.data_size;
	ent = rel + rd32(b + 36);
	t->entries = ent;
	for (uint32_t i = 0; i < in.nentries; i++) {
		uint32_t e = rd32(ent + 8 * i + 4);
		if ((e & ~ENTRY_RW) >= (e & ENTRY_RW ? t->rw_size : in.ro_size))
			return ELFMOD_TINY_EENTRY;
	}
	w.o = o;
	w.t = t;
	/* A word at offset x fits when x + word <= size. */
	w.lim[0] = in.ro_size < sizeof(uintptr_t) || !in.ro_fixups ? 0 : in.ro_size - sizeof(uintptr_t) + 1;
	w.lim[1] = in.data_size < sizeof(uintptr_t) ? 0 : in.data_size - sizeof(uintptr_t) + 1;
	w.at[0] = w.at[1] = NULL;
	rc = walk(&w, rel, ent);
	if (rc)
		return rc;
	if (o->ro && in.ro_size)
		memcpy(o->ro, b + HDR, in.ro_size);
	if (t->rw_size) {
		memcpy(o->rw, b + HDR + in.ro_size, in.data_size);
		memset((uint8_t *)o->rw + in.data_size, 0, in.bss_size);
	}
	w.at[0] = (uint8_t *)o->ro;
	w.at[1] = (uint8_t *)o->rw;
	return walk(&w, rel, ent);
}

void *elfmod_tiny_entry(const struct elfmod_tiny *t, uint32_t hash)
{
	for (uint32_t i = 0; t && i < t->nentries; i++) {
		uint32_t e = rd32(t->entries + 8 * i + 4);
		if (rd32(t->entries + 8 * i) == hash)
			return (void *)((e & ENTRY_RW ? t->rw : t->ro) + (e & ~ENTRY_RW));
	}
	return NULL;
}
