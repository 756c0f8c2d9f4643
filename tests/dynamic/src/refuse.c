/* Relocations elfmod refuses in an ET_DYN (with ELFMOD_ERELTYPE, naming the type):
 * built with -DREFUSE_TLS, a thread-local variable in the initial-exec model (a TP
 * offset relocation: elfmod has no thread control block to place it in); otherwise
 * liba's variable read from a -fPIE executable, which x86_64 and aarch64 compilers
 * turn into a COPY relocation (elfmod does not move other modules' data). */
#include "dyn.h"

#ifdef REFUSE_TLS
__thread int refuse_tls = 5;

int main(void)
{
	return refuse_tls - 5;
}
#else
int main(void)
{
	return a_counter - 40;
}
#endif
