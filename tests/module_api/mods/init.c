/* Init and fini order, as GNU ld would arrange it: prioritised constructors first (by
 * priority), then the plain ones; destructors in reverse at unload. */
void record(int what);

__attribute__((constructor(101))) static void first(void) { record(1); }
__attribute__((constructor(102))) static void second(void) { record(2); }
__attribute__((constructor)) static void third(void) { record(3); }
__attribute__((destructor)) static void bye(void) { record(-3); }
__attribute__((destructor(101))) static void last_bye(void) { record(-1); }

int init_value(void);
int init_value(void) { return 40 + 2; }
