/* The demo's program: built -static -nostdlib at a fixed address, so the only thing that
 * can run it is a loader that puts every segment exactly where it was linked. It talks
 * to the world only through the services table its loader passes in. */
struct services {
	int (*printf)(const char *fmt, ...);
};

static unsigned sieve[1024];             /* .bss: the loader zeroes it */
static const char *const names[] = {     /* .data.rel.ro: absolute addresses */
	"text", "rodata", "data", "bss",
};
static unsigned runs = 0;                /* .bss */
static unsigned base = 2;                /* .data */

int demo_main(const struct services *sv);

int demo_main(const struct services *sv)
{
	unsigned count = 0, last = 0;

	for (unsigned i = base; i < 1024 * 32; i++) {
		if (sieve[i / 32] & (1u << (i % 32)))
			continue;
		count++;
		last = i;
		for (unsigned j = 2 * i; j < 1024 * 32; j += i)
			sieve[j / 32] |= 1u << (j % 32);
	}
	runs++;
	sv->printf("  app: hello from a program linked at a fixed address (run %u)\n", runs);
	sv->printf("  app: it reached its %s, %s, %s and %s;\n", names[0], names[1], names[2], names[3]);
	sv->printf("  app: %u primes below %u, the largest %u\n", count, 1024 * 32, last);
	return count == 3512 ? 0 : 1;
}
