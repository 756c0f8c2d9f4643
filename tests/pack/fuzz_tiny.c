/* libFuzzer harness for the tiny loader (tests/pack/CMakeLists.txt: pack_fuzz_smoke).
 * The checksum is made right on a copy of every input, so the fuzzer reaches the layout,
 * the relocation stream and the entries instead of stopping at ECHECKSUM. The loader
 * writes into fixed buffers; the sanitizers catch any access outside them. */
#include "elfmod_tiny.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void host_fn(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t ro[4096] __attribute__((aligned(65536)));
	static uint8_t rw[4096] __attribute__((aligned(65536)));
	struct elfmod_tiny_import imp[2] = { { elfmod_tiny_hash("host_add"), (uintptr_t)host_fn },
					     { elfmod_tiny_hash("host_note"), (uintptr_t)host_fn } };
	struct elfmod_tiny_opts o;
	struct elfmod_tiny t;
	uint8_t *c;
	uint32_t h = 2166136261u;

	c = malloc(size ? size : 1);
	if (!c)
		return 0;
	memcpy(c, data, size);
	if (size >= 64) {
		for (size_t i = 0; i < size; i++)
			if (i < 60 || i >= 64)
				h = (h ^ c[i]) * 16777619u;
		for (int i = 0; i < 4; i++)
			c[60 + i] = (uint8_t)(h >> (8 * i));
	}
	memset(&o, 0, sizeof(o));
	o.imports = imp;
	o.nimports = 2;
	o.rw = rw;
	o.rw_cap = sizeof(rw);
	/* In RAM, and (when the input allows it) in place. */
	o.ro = ro;
	o.ro_cap = sizeof(ro);
	if (elfmod_tiny_load(c, size, &o, &t) == ELFMOD_TINY_OK) {
		(void)elfmod_tiny_entry(&t, elfmod_tiny_hash("run"));
		for (uint32_t i = 0; i < t.nentries && i < 64; i++)
			(void)elfmod_tiny_entry(&t, i);
	}
	o.ro = NULL;
	o.ro_cap = 0;
	(void)elfmod_tiny_load(c, size, &o, &t);
	/* With the module's own fingerprint (or any): imports by position resolve too. */
	if (size >= 64) {
		for (int k = 0; k < 8; k++)
			o.fingerprint |= (uint64_t)c[16 + k] << (8 * k);
		if (!o.fingerprint)
			o.fingerprint = 1;
		o.ro = ro;
		o.ro_cap = sizeof(ro);
		if (elfmod_tiny_load(c, size, &o, &t) == ELFMOD_TINY_OK)
			(void)elfmod_tiny_entry(&t, elfmod_tiny_hash("run"));
	}
	free(c);
	return 0;
}
