/* A position-independent executable linked with the C library's start files (its
 * _start imports __libc_start_main, which only the host's dynamic symbols have) and
 * against dso_base's shared object (DT_NEEDED libdsobase.so). */
#include <string.h>

void base_record(int what);
int base_value(int v);
static const char *const names[] = { "pie", "main" };

__attribute__((constructor)) static void pie_ctor(void) { base_record(20); }

/* Only an executable may have one: it runs before DT_INIT and the init array. */
static void pie_preinit(void) { base_record(19); }
__attribute__((used, section(".preinit_array"))) static void (*const preinit[])(void) = { pie_preinit };

int main(void);
int main(void) { return base_value(0) + (int)strlen(names[1]); }
