/* A program packed and run by `elfmod run`: C library imports, a constructor and a
 * destructor, a string in rodata, a counter in .data and the arguments. */
int puts(const char *s);

int started; /* a global: -fPIC code reaches it through the GOT (static data would be
	      * PC-relative across blocks, which a packed module cannot have) */
int calls = 40;

__attribute__((constructor)) static void start(void)
{
	started = 1;
}

__attribute__((destructor)) static void stop(void)
{
	puts(calls == 42 ? "packed goodbye" : "packed goodbye?");
}

int main(int argc, char **argv)
{
	puts("packed hello");
	puts(argv[argc - 1]);
	calls += argc;
	return started ? calls : 99;
}
