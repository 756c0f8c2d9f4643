/* Built once per ID (-DID=n) so that several of them can be loaded side by side: each
 * exports its own name and imports data from provider.o (tests/modules). */
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

extern int provider_value;

int CAT(thread_mod_, ID)(void);
int CAT(thread_mod_, ID)(void)
{
	return provider_value + ID;
}
