/* No data sections and no imports: all state in a block the host passes in. Packs to
 * header + code, with no fix-ups, and runs in place from the packed buffer. */
struct state {
	unsigned calls;
	unsigned sum;
};

unsigned step(struct state *s, unsigned x);
unsigned step(struct state *s, unsigned x)
{
	s->calls++;
	s->sum = s->sum * 31 + x;
	return s->sum ^ s->calls;
}
