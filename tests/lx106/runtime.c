/* What a freestanding lx106 program needs that Debian's lx106 libgcc does not have
 * (the memory functions are in src/port/mem.c): the integer division and
 * 64-bit multiply helpers GCC calls on a core with no divider (__divsi3, __udivsi3,
 * __umodsi3, __muldi3). The hosts also export them to modules. Built with
 * -fno-tree-loop-distribute-patterns so GCC cannot turn the loops back into calls to
 * themselves; nothing here multiplies or divides 64-bit values for the same reason. */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memset(void *d, int c, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int __divsi3(int a, int b);
unsigned __udivsi3(unsigned a, unsigned b);
unsigned __umodsi3(unsigned a, unsigned b);
long long __muldi3(long long a, long long b);

/* Restoring division, one quotient bit per step. Division by zero is undefined in C;
 * it yields an all-ones quotient here rather than a trap. */
static uint32_t udivmod(uint32_t n, uint32_t d, uint32_t *rem)
{
	uint32_t q = 0, r = 0;

	for (int i = 31; i >= 0; i--) {
		r = r << 1 | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1u << i;
		}
	}
	*rem = r;
	return q;
}

unsigned __udivsi3(unsigned a, unsigned b)
{
	uint32_t r;

	return udivmod(a, b, &r);
}

unsigned __umodsi3(unsigned a, unsigned b)
{
	uint32_t r;

	udivmod(a, b, &r);
	return r;
}

/* C truncates towards zero: divide the magnitudes, then give the quotient the sign. */
int __divsi3(int a, int b)
{
	uint32_t ua = a < 0 ? 0u - (uint32_t)a : (uint32_t)a;
	uint32_t ub = b < 0 ? 0u - (uint32_t)b : (uint32_t)b;
	uint32_t r, q = udivmod(ua, ub, &r);

	return (int)((a < 0) != (b < 0) ? 0u - q : q);
}

/* The full 64-bit product of two 32-bit values from 16-bit halves: lx106's MULL gives
 * only the low 32 bits of a product. */
static uint64_t mul32x32(uint32_t a, uint32_t b)
{
	uint32_t a0 = a & 0xffff, a1 = a >> 16, b0 = b & 0xffff, b1 = b >> 16;
	uint32_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint32_t mid = (p00 >> 16) + (p01 & 0xffff) + (p10 & 0xffff);
	uint32_t lo = (mid << 16) | (p00 & 0xffff);
	uint32_t hi = p11 + (p01 >> 16) + (p10 >> 16) + (mid >> 16);

	return (uint64_t)hi << 32 | lo;
}

/* The low 64 bits of the product, which are the same for signed and unsigned. */
long long __muldi3(long long a, long long b)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
	uint32_t al = (uint32_t)ua, ah = (uint32_t)(ua >> 32);
	uint32_t bl = (uint32_t)ub, bh = (uint32_t)(ub >> 32);
	uint64_t p = mul32x32(al, bl);

	p += (uint64_t)(al * bh + ah * bl) << 32;
	return (long long)p;
}
