/* Line building for the modules, which link against nothing but svc_call: no libc. */
#ifndef MODTEXT_H
#define MODTEXT_H

#include "services.h"

struct line {
	char buf[96];
	unsigned n;
};

static void put(struct line *l, const char *s)
{
	while (*s && l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = *s++;
	l->buf[l->n] = 0;
}

static void put_int(struct line *l, long v)
{
	char d[24];
	int i = 0;
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;

	do
		d[i++] = (char)('0' + u % 10);
	while ((u /= 10) && i < 23);
	if (v < 0)
		d[i++] = '-';
	while (i && l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = d[--i];
	l->buf[l->n] = 0;
}

/* Sends the line to the firmware's console and starts a new one. */
static void say(struct line *l)
{
	struct svc_print p = { sizeof(p), l->buf };

	svc_call(SVC_PRINT, &p);
	l->n = 0;
	l->buf[0] = 0;
}

#endif
