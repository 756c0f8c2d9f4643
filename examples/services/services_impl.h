/* The services of services.h, as both firmwares of this example offer them: the host
 * program (fw.c) and the Cortex-M3 one (cortexm/fw.c). Each includes this file once and
 * defines fw_console, where the SVC_PRINT service writes. Freestanding C, no libc.
 *
 * SVC_API picks the firmware: 1 (firmware 1.4) or 2 (firmware 2.0, one more service and
 * two more block fields). */
#ifndef SERVICES_IMPL_H
#define SERVICES_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "services.h"

#if SVC_API >= 2
#define FW_MAJOR 2
#define FW_MINOR 0
#else
#define FW_MAJOR 1
#define FW_MINOR 4
#endif

/* Writes `s` as it is (the firmware's console). */
static void fw_console(const char *s);

/* Bytes up to the end of `field`: a block this short is still complete as of the
 * revision that added the field. */
#define END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define HAS(p, type, field) ((p)->size >= END(type, field))

#define NSETTINGS 8
#define KEYMAX 16

static struct {
	char key[KEYMAX];
	int32_t value;
} settings[NSETTINGS];
static uint32_t clock_ms;

/* What the caller gave, or what this firmware knows: the smaller. */
static uint32_t filled(uint32_t size, size_t known)
{
	return size < known ? size : (uint32_t)known;
}

static int key_equal(const char *a, const char *b)
{
	for (; *a && *a == *b; a++)
		b++;
	return *a == *b;
}

/* The slot of setting `key` (a new one when `create`), or an svc_status. */
static int setting_find(const char *key, int create)
{
	size_t n = 0;

	if (!key)
		return SVC_EINVAL;
	while (n < KEYMAX && key[n])
		n++;
	if (n == KEYMAX)
		return SVC_EINVAL;
	for (int i = 0; i < NSETTINGS; i++)
		if (settings[i].key[0] && key_equal(settings[i].key, key))
			return i;
	if (!create)
		return SVC_ENOENT;
	for (int i = 0; i < NSETTINGS; i++)
		if (!settings[i].key[0]) {
			for (size_t k = 0; k <= n; k++)
				settings[i].key[k] = key[k];
			return i;
		}
	return SVC_ENOSPC;
}

#if SVC_API >= 2
static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}
#endif

int svc_call(unsigned number, void *params)
{
	uint32_t *size = params;

	if (!params)
		return SVC_EINVAL;
	switch (number) {
	case SVC_VERSION: {
		struct svc_version *v = params;

		if (!HAS(v, struct svc_version, minor))
			return SVC_EINVAL;
		v->major = FW_MAJOR;
		v->minor = FW_MINOR;
#if SVC_API >= 2
		if (HAS(v, struct svc_version, api))
			v->api = SVC_API;
#endif
		*size = filled(*size, sizeof(*v));
		return SVC_OK;
	}
	case SVC_PRINT: {
		struct svc_print *p = params;

		if (!HAS(p, struct svc_print, text) || !p->text)
			return SVC_EINVAL;
		fw_console("  | ");
		fw_console(p->text);
		fw_console("\n");
		*size = filled(*size, sizeof(*p));
		return SVC_OK;
	}
	case SVC_CLOCK: {
		struct svc_clock *c = params;

		if (!HAS(c, struct svc_clock, ms))
			return SVC_EINVAL;
		/* A simulated clock: 10 ms per reading, so the transcript is repeatable. */
		clock_ms += 10;
		c->ms = clock_ms;
#if SVC_API >= 2
		if (HAS(c, struct svc_clock, resolution_ms))
			c->resolution_ms = 10;
#endif
		*size = filled(*size, sizeof(*c));
		return SVC_OK;
	}
	case SVC_SETTING_GET:
	case SVC_SETTING_SET: {
		struct svc_setting *s = params;
		int i;

		if (!HAS(s, struct svc_setting, value))
			return SVC_EINVAL;
		i = setting_find(s->key, number == SVC_SETTING_SET);
		if (i < 0)
			return i;
		if (number == SVC_SETTING_SET)
			settings[i].value = s->value;
		else
			s->value = settings[i].value;
		*size = filled(*size, sizeof(*s));
		return SVC_OK;
	}
#if SVC_API >= 2
	case SVC_CRC32: {
		struct svc_crc32 *c = params;

		if (!HAS(c, struct svc_crc32, crc) || (!c->data && c->len))
			return SVC_EINVAL;
		c->crc = crc32(c->data, c->len);
		*size = filled(*size, sizeof(*c));
		return SVC_OK;
	}
#endif
	default:
		return SVC_ENOSYS;
	}
}

#endif
