/* Imports strlen from the host's C library: nobody's export table offers it, so it
 * loads only when the layer may ask the host's dynamic loader. */
#include <string.h>

size_t dl_len(const char *s);
size_t dl_len(const char *s)
{
	return strlen(s);
}

/* The address the import was bound to, to compare with what dlsym finds. */
size_t (*dl_strlen_addr(void))(const char *);
size_t (*dl_strlen_addr(void))(const char *)
{
	return strlen;
}
