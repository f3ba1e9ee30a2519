/*
 * util.c - helpers every command family uses: one-call connections, JSON
 * output, times, role names and reading a file to send.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "pbjson.h"
#include "words.h"

int call_once(struct cli_global *g, const char *method, const ProtobufCMessage *in,
              ProtobufCMessage **out)
{
	struct conn c;
	struct call_result res;
	int rc = conn_open(&c, g);

	if (rc != 0) {
		conn_close(&c);
		return rc;
	}
	rc = conn_call(&c, method, in, out, &res);
	conn_close(&c);
	rc = conn_report(g, &res);
	for (size_t i = 0; i < res.n_warnings; i++)
		free(res.warnings[i]);
	free(res.warnings);
	return rc;
}

void print_json(const ProtobufCMessage *msg)
{
	json_t *j = pmif_pb_to_json(msg);

	if (j == NULL)
		return;
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	fputc('\n', stdout);
	json_decref(j);
}

const char *fmt_time(unsigned long long t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0)
		return "never";
	gmtime_r(&tt, &tm);
	strftime(buf, cap, "%Y-%m-%d %H:%M UTC", &tm);
	return buf;
}

const char *role_text(Pmif__Role r)
{
	return pmif_role_word(r, "none");
}

char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *buf;

	if (f == NULL)
		return NULL;
	buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *grown = cap < max ? realloc(buf, cap * 2) : NULL;
			if (grown == NULL) {
				free(buf);
				buf = NULL;
				errno = cap < max ? ENOMEM : EFBIG;
				break;
			}
			buf = grown;
			cap *= 2;
		}
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}
