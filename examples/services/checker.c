/* A module written against revision 2 of services.h: it uses the new fields and the
 * new SVC_CRC32 service, and checks the returned block sizes to cope with a firmware
 * that predates them. */
#include "modtext.h"

#include <stddef.h>

static void put_hex(struct line *l, uint32_t v)
{
	put(l, "0x");
	for (int s = 28; s >= 0 && l->n < sizeof(l->buf) - 1; s -= 4)
		l->buf[l->n++] = "0123456789abcdef"[v >> s & 15];
	l->buf[l->n] = 0;
}

int module_main(void);
int module_main(void)
{
	static const char check[] = "123456789";
	struct line l = { { 0 }, 0 };
	struct svc_version v = { sizeof(v), 0, 0, 0 };
	struct svc_clock c = { sizeof(c), 0, 0 };
	struct svc_setting s = { sizeof(s), "runs", 0 };
	struct svc_crc32 k = { sizeof(k), check, sizeof(check) - 1, 0 };
	int rc, score = 0;

	if (svc_call(SVC_VERSION, &v) == SVC_OK) {
		put(&l, "checker: firmware ");
		put_int(&l, v.major);
		put(&l, ".");
		put_int(&l, v.minor);
		/* An older firmware filled less than we asked for and said so in size. */
		if (v.size >= offsetof(struct svc_version, api) + sizeof(v.api)) {
			put(&l, ", service API ");
			put_int(&l, v.api);
		} else {
			put(&l, ", no API field (filled ");
			put_int(&l, v.size);
			put(&l, " bytes)");
		}
		say(&l);
		score++;
	}
	if (svc_call(SVC_CLOCK, &c) == SVC_OK) {
		put(&l, "checker: clock ");
		put_int(&l, c.ms);
		put(&l, " ms");
		if (c.size >= offsetof(struct svc_clock, resolution_ms) + sizeof(c.resolution_ms)) {
			put(&l, ", resolution ");
			put_int(&l, c.resolution_ms);
			put(&l, " ms");
		}
		say(&l);
		score++;
	}
	rc = svc_call(SVC_SETTING_GET, &s);
	put(&l, "checker: runs = ");
	put_int(&l, s.value);
	put(&l, " -> ");
	put_int(&l, rc);
	say(&l);
	if (rc == SVC_OK)
		score++;
	rc = svc_call(SVC_CRC32, &k);
	put(&l, "checker: crc32(\"123456789\") ");
	if (rc == SVC_OK) {
		put_hex(&l, k.crc);
		score++;
	} else {
		put(&l, "not offered -> ");
		put_int(&l, rc);
	}
	say(&l);
	return score;
}
