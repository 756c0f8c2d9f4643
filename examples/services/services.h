/* The firmware's service ABI: the one thing a module is built against.
 *
 * A module imports a single function, svc_call, and asks for everything by number with
 * a parameter block. Numbers are never reused and blocks only grow at the end, so a
 * module keeps working on every later firmware. Each block starts with `size`: the
 * caller sets it to sizeof the block it was compiled with; the firmware reads and writes
 * only the fields inside that size and sets `size` to the bytes it filled, so a newer
 * module can tell which new fields an older firmware left alone.
 *
 * SVC_API picks the revision a file is compiled against (1 or 2; 2 by default). */
#ifndef SERVICES_H
#define SERVICES_H

#include <stdint.h>

#ifndef SVC_API
#define SVC_API 2
#endif

enum svc_number {
	SVC_VERSION = 1,     /* struct svc_version */
	SVC_PRINT = 2,       /* struct svc_print */
	SVC_CLOCK = 3,       /* struct svc_clock */
	SVC_SETTING_GET = 4, /* struct svc_setting */
	SVC_SETTING_SET = 5, /* struct svc_setting */
#if SVC_API >= 2
	SVC_CRC32 = 6,       /* struct svc_crc32; since revision 2 */
#endif
};

enum svc_status {
	SVC_OK = 0,
	SVC_ENOSYS = -1,  /* no such service number in this firmware */
	SVC_EINVAL = -2,  /* NULL block, or size below the block's first revision */
	SVC_ENOENT = -3,  /* no setting by that key */
	SVC_ENOSPC = -4,  /* the settings table is full */
};

struct svc_version {
	uint32_t size;
	uint32_t major, minor;  /* the firmware's own version */
#if SVC_API >= 2
	uint32_t api;           /* highest service revision offered; since revision 2 */
#endif
};

struct svc_print {
	uint32_t size;
	const char *text;       /* NUL-terminated, printed as one line */
};

struct svc_clock {
	uint32_t size;
	uint32_t ms;            /* milliseconds since boot */
#if SVC_API >= 2
	uint32_t resolution_ms; /* since revision 2 */
#endif
};

struct svc_setting {
	uint32_t size;
	const char *key;        /* NUL-terminated, at most 15 characters */
	int32_t value;
};

#if SVC_API >= 2
struct svc_crc32 {
	uint32_t size;
	const void *data;
	uint32_t len;
	uint32_t crc;           /* out: CRC-32 (IEEE 802.3) of data */
};
#endif

/* The only import: returns an enum svc_status, or a service's own non-negative result. */
int svc_call(unsigned number, void *params);

#endif
