/* A relocatable object with known contents for the inspect smoke tests: one defined
 * function and variable, one undefined function, and the relocations between them. */
int elfmod_smoke_external(int x);
int elfmod_smoke_entry(int x);

int elfmod_smoke_counter = 3;

int elfmod_smoke_entry(int x)
{
	return elfmod_smoke_external(x) + elfmod_smoke_counter;
}
