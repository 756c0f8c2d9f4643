/* An ordinary shared object: linked against libc.so, its strlen comes from the host. */
#include <string.h>

size_t so_len(const char *s);
size_t so_len(const char *s)
{
	return strlen(s);
}
