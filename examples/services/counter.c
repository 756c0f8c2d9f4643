/* A module written against the first revision of services.h (built with SVC_API=1):
 * smaller svc_version and svc_clock blocks, no SVC_CRC32. It counts its runs in a
 * firmware setting and also asks for a service number no firmware has. */
#include "modtext.h"

int module_main(void);
int module_main(void)
{
	struct line l = { { 0 }, 0 };
	struct svc_version v = { sizeof(v), 0, 0 };
	/* The word after the clock block is where revision 2 put resolution_ms: a firmware
	 * writing past the size it was given would change it. */
	struct {
		struct svc_clock c;
		uint32_t after;
	} cb = { { sizeof(cb.c), 0 }, 0x5a5a5a5a };
	struct svc_setting s = { sizeof(s), "runs", 0 };
	int rc;

	put(&l, "counter: built for service API 1, block sizes version ");
	put_int(&l, (long)sizeof(v));
	put(&l, ", clock ");
	put_int(&l, (long)sizeof(cb.c));
	say(&l);
	if (svc_call(SVC_VERSION, &v) == SVC_OK) {
		put(&l, "counter: firmware ");
		put_int(&l, v.major);
		put(&l, ".");
		put_int(&l, v.minor);
		say(&l);
	}
	if (svc_call(SVC_CLOCK, &cb.c) == SVC_OK) {
		put(&l, "counter: clock ");
		put_int(&l, cb.c.ms);
		put(&l, cb.after == 0x5a5a5a5a ? " ms, word after the block untouched" :
						 " ms, word after the block OVERWRITTEN");
		say(&l);
	}
	rc = svc_call(SVC_SETTING_GET, &s);
	put(&l, "counter: get runs -> ");
	put_int(&l, rc);
	say(&l);
	if (rc == SVC_ENOENT)
		s.value = 0;
	s.value++;
	rc = svc_call(SVC_SETTING_SET, &s);
	put(&l, "counter: set runs = ");
	put_int(&l, s.value);
	put(&l, " -> ");
	put_int(&l, rc);
	say(&l);
	rc = svc_call(99, &s);
	put(&l, "counter: service 99 -> ");
	put_int(&l, rc);
	say(&l);
	return s.value;
}
