/* Reset inside an image: the routine a program calls at its reset entry to put its
 * writable data back to the initial values `elfmod reset-prep` saved in the image.
 *
 * It runs inside the image, with no loader and no ELF headers around, on data that is
 * about to be overwritten: so it keeps no state, calls nothing but memcpy and memset, and
 * checks the whole table before the first write. A table that would overwrite its own
 * copies, itself or the stack it runs on is refused rather than half applied. */
#include "internal.h"

/* Does [a, a + n) meet region r? Both ranges were checked not to wrap. */
static int meets(uintptr_t a, uintptr_t n, const struct elfmod_reset_region *r)
{
	return n && r->memsz && a < r->addr + r->memsz && r->addr < a + n;
}

int elfmod_image_reset(const struct elfmod_reset_table *t)
{
	const struct elfmod_reset_region *reg;
	volatile uint8_t probe = 0; /* its address tells where the stack is */
	uintptr_t tsize, stack = (uintptr_t)&probe;

	if (!t)
		return ELFMOD_ENOTFOUND;
	if (t->magic != ELFMOD_RESET_MAGIC || t->version != ELFMOD_RESET_VERSION ||
	    t->entsize != sizeof(struct elfmod_reset_region) || t->reserved)
		return ELFMOD_EINVAL;
	/* Entries are a power of two bytes long: the division is a shift on every target. */
	tsize = (uintptr_t)t->count * sizeof(*reg);
	if (tsize / sizeof(*reg) != t->count || tsize + sizeof(*t) < tsize)
		return ELFMOD_EOVERFLOW;
	tsize += sizeof(*t);
	if ((uintptr_t)t + tsize < (uintptr_t)t)
		return ELFMOD_EOVERFLOW;
	reg = ELFMOD_RESET_REGIONS(t);

	for (uint32_t i = 0; i < t->count; i++) {
		const struct elfmod_reset_region *r = &reg[i];
		if (r->filesz > r->memsz || (r->filesz && !r->copy))
			return ELFMOD_ESEGMENT;
		if (r->addr + r->memsz < r->addr || r->copy + r->filesz < r->copy)
			return ELFMOD_EOVERFLOW;
	}
	for (uint32_t i = 0; i < t->count; i++) {
		const struct elfmod_reset_region *r = &reg[i];
		if (meets((uintptr_t)t, tsize, r) || meets(stack, 1, r))
			return ELFMOD_EOVERLAP;
		for (uint32_t j = 0; j < t->count; j++)
			if (meets(reg[j].copy, reg[j].filesz, r) || (j > i && meets(reg[j].addr, reg[j].memsz, r)))
				return ELFMOD_EOVERLAP;
	}

	for (uint32_t i = 0; i < t->count; i++) {
		const struct elfmod_reset_region *r = &reg[i];
		if (r->filesz) /* copy is 0 then: memcpy must not be given NULL */
			memcpy((void *)r->addr, (const void *)r->copy, r->filesz);
		memset((void *)(r->addr + r->filesz), 0, r->memsz - r->filesz);
	}
	return 0;
}
