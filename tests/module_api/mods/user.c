/* Imports from provider.o (tests/modules) and from the host, with an address-taken
 * function so the address lookup has something to find. */
int provider_add(int x);
extern int provider_value;
int host_twice(int x);

int user_main(void);
int user_main(void) { return provider_add(host_twice(1)) - provider_value; }
