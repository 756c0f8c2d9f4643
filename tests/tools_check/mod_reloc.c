/* A relocation type elfmod does not implement (thread-local storage), placed inside
 * tls_user with the assembler's .reloc directive; RELOC_TYPE names it for the target. */
extern int fw_counter;

#define STR2(x) #x
#define STR(x) STR2(x)

int tls_user(void);
int tls_user(void)
{
	__asm__ volatile("\n1:\n\t.reloc 1b, " STR(RELOC_TYPE) ", fw_counter\n" ::: "memory");
	return fw_counter;
}
