/*
 * test_config_file.c - config_file_read(): keys in order with their lines,
 * every kind of bad file named by file and line, and garbage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config_file.h"

static char dir[64], path[128];

struct seen {
	unsigned n;
	char keys[8][32], values[8][64];
	unsigned lines[8];
	const char *refuse; /* a key the callback refuses */
};

static int collect(void *arg, unsigned line, const char *key, const char *value, char *why,
                   size_t cap)
{
	struct seen *s = arg;

	if (s->refuse && strcmp(key, s->refuse) == 0) {
		snprintf(why, cap, "unknown key '%s'", key);
		return -1;
	}
	if (s->n < 8) {
		snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
		snprintf(s->values[s->n], sizeof(s->values[0]), "%s", value);
		s->lines[s->n++] = line;
	}
	return 0;
}

static void write_file(const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static int read_text(const char *text, struct seen *s, char *err, size_t cap)
{
	write_file(text, strlen(text));
	return config_file_read(path, collect, s, err, cap);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pmif-config-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pmifd.conf", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void test_keys_in_order(void **state)
{
	struct seen s = {0};
	char err[512] = "";

	(void)state;
	assert_int_equal(read_text("# a comment\n"
	                           "; another\n"
	                           "data = /var/lib/pmif\n"
	                           "\n"
	                           "listen = tcp://127.0.0.1:1   ; the first\n"
	                           "listen=ipc:///run/pmif.sock\n"
	                           "   workers   =   4   \n",
	                           &s, err, sizeof(err)),
	                 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.keys[0], "data");
	assert_string_equal(s.values[0], "/var/lib/pmif");
	assert_int_equal(s.lines[0], 3);
	assert_string_equal(s.values[1], "tcp://127.0.0.1:1");
	assert_int_equal(s.lines[1], 5);
	assert_string_equal(s.values[2], "ipc:///run/pmif.sock");
	assert_string_equal(s.keys[3], "workers");
	assert_string_equal(s.values[3], "4");
	assert_int_equal(s.lines[3], 7);
}

static void test_refused_key_names_line(void **state)
{
	struct seen s = {.refuse = "wrokers"};
	char err[512], want[256];

	(void)state;
	assert_int_equal(read_text("data = x\n\nwrokers = 2\nworkers = 3\n", &s, err, sizeof(err)),
	                 -1);
	snprintf(want, sizeof(want), "%s line 3: unknown key 'wrokers'", path);
	assert_string_equal(err, want);
	assert_int_equal(s.n, 1); /* reading stopped there */
}

static void test_syntax_error_first(void **state)
{
	struct seen s = {.refuse = "bad"};
	char err[512], want[256];

	(void)state;
	assert_int_equal(read_text("data = x\njunk\nbad = 1\n", &s, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s line 2: expected 'key = value'", path);
	assert_string_equal(err, want);
}

static void test_section_refused(void **state)
{
	struct seen s = {0};
	char err[512];

	(void)state;
	assert_int_equal(read_text("[serve]\ndata = x\n", &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 2: sections are not used ('[serve]')"));
	assert_int_equal(s.n, 0);
}

static void test_long_line(void **state)
{
	struct seen s = {0};
	char text[400], err[512];

	(void)state;
	memset(text, 'x', sizeof(text));
	memcpy(text, "data = ", 7);
	text[sizeof(text) - 2] = '\n';
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(read_text(text, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 1: the line is too long (at most 198 characters)"));
	assert_int_equal(s.n, 0); /* not split into a key and a stray line */
}

static void test_unreadable(void **state)
{
	struct seen s = {0};
	char err[512], want[256];

	(void)state;
	assert_int_equal(config_file_read("/nonexistent/pmifd.conf", collect, &s, err, sizeof(err)),
	                 -1);
	assert_string_equal(err, "cannot read the config file '/nonexistent/pmifd.conf': No such "
	                         "file or directory");
	assert_int_equal(config_file_read(dir, collect, &s, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot read the config file '%s': Is a directory", dir);
	assert_string_equal(err, want);
}

static void test_garbage(void **state)
{
	unsigned char text[4096];
	uint32_t x = 12345;

	(void)state;
	for (int round = 0; round < 200; round++) {
		struct seen s = {.refuse = "data"};
		char err[512] = "";
		size_t len = (size_t)(round * 19 % (int)sizeof(text));
		int rc;

		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			text[i] = (unsigned char)(x >> 16);
		}
		write_file((const char *)text, len);
		rc = config_file_read(path, collect, &s, err, sizeof(err));
		assert_true(rc == 0 || rc == -1);
		if (rc == -1)
			assert_true(strlen(err) > 0 && strncmp(err, path, strlen(path)) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys_in_order),
	    cmocka_unit_test(test_refused_key_names_line),
	    cmocka_unit_test(test_syntax_error_first),
	    cmocka_unit_test(test_section_refused),
	    cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_unreadable),
	    cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
