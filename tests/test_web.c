/*
 * test_web.c - pmif-web's pure parts: the one HTML escape, URL encoding,
 * the session cookie's form, CSRF tokens, the session table's expiry and
 * bound (with the test's own clock), the sign-in throttle, and the report
 * renderer's fragment mode that the pages embed.  Garbage goes through
 * the escape and the cookie check too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "render.h"
#include "session.h"
#include "throttle_web.h"
#include "web.h"

/* @p s through web_escape(), malloc'd. */
static char *escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	web_escape(f, s);
	fclose(f);
	return buf;
}

static void test_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
	    {"a \"quoted\" 'word' & more", "a &quot;quoted&quot; &#39;word&#39; &amp; more"},
	    {"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
	    {"line\none\ttab", "line\none tab"},
	    {"bell\x07"
	     "esc\x1b"
	     "del\x7f",
	     "bell?esc?del?"},
	    {"bidi \xe2\x80\xae"
	     "gnp.exe",
	     "bidi ?gnp.exe"},
	    {"\xc2\xa3"
	     "5 \xe2\x80\x93 \xf0\x9f\x98\x80",
	     "\xc2\xa3"
	     "5 \xe2\x80\x93 \xf0\x9f\x98\x80"},
	    {"bad \xff\xfe end", "bad ?? end"},
	    {"overlong \xc0\xbc", "overlong ??"},
	    {"surrogate \xed\xa0\x80", "surrogate ???"},
	    {"c1 \xc2\x85", "c1 ?"},
	    {"", ""},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = escaped(cases[i].in);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
	char *none = escaped(NULL);
	assert_string_equal(none, "");
	free(none);
}

/* Random bytes never come out with markup characters raw. */
static void test_escape_garbage(void **state)
{
	unsigned seed = 14;
	char in[512];

	(void)state;
	for (int round = 0; round < 500; round++) {
		for (size_t i = 0; i + 1 < sizeof(in); i++)
			in[i] = (char)(1 + rand_r(&seed) % 255);
		in[sizeof(in) - 1] = '\0';
		char *got = escaped(in);
		assert_null(strpbrk(got, "<>\"'"));
		for (char *p = got; *p; p++)
			if (*p == '&')
				assert_true(
				    strncmp(p, "&amp;", 5) == 0 || strncmp(p, "&lt;", 4) == 0 ||
				    strncmp(p, "&gt;", 4) == 0 || strncmp(p, "&quot;", 6) == 0 ||
				    strncmp(p, "&#39;", 5) == 0);
		free(got);
	}
}

static void test_urlenc(void **state)
{
	char out[64];

	(void)state;
	web_urlenc_buf(out, sizeof(out), "FAMILIES-OSC");
	assert_string_equal(out, "FAMILIES-OSC");
	web_urlenc_buf(out, sizeof(out), "a b&c=d/\"<");
	assert_string_equal(out, "a%20b%26c%3Dd%2F%22%3C");
	web_urlenc_buf(out, 8, "abcdefghijkl");
	assert_int_equal(strlen(out), 7);
}

static void test_cookie_parse(void **state)
{
	char id[SESSION_ID_HEX + 1], good[SESSION_ID_HEX + 2];

	(void)state;
	memset(good, 'a', SESSION_ID_HEX);
	good[SESSION_ID_HEX] = '\0';
	good[3] = '7';
	assert_true(session_cookie_parse(good, id));
	assert_string_equal(id, good);
	good[5] = 'A'; /* ids are lowercase */
	assert_false(session_cookie_parse(good, id));
	good[5] = 'g';
	assert_false(session_cookie_parse(good, id));
	good[5] = 'a';
	good[SESSION_ID_HEX] = 'a'; /* one too long */
	good[SESSION_ID_HEX + 1] = '\0';
	assert_false(session_cookie_parse(good, id));
	good[SESSION_ID_HEX - 1] = '\0'; /* one too short */
	assert_false(session_cookie_parse(good, id));
	assert_false(session_cookie_parse("", id));
	assert_false(session_cookie_parse(NULL, id));
	assert_false(session_cookie_parse("; pmif_session=x", id));
}

static void test_csrf(void **state)
{
	uint8_t key[32], other[32];
	char id[SESSION_ID_HEX + 1], id2[SESSION_ID_HEX + 1], tok[65], tok2[65];

	(void)state;
	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	assert_true(random_hex_id(id));
	assert_true(random_hex_id(id2));
	assert_string_not_equal(id, id2);
	csrf_token(key, "session", id, tok);
	assert_int_equal(strlen(tok), 64);
	assert_true(csrf_check(key, "session", id, tok));
	assert_false(csrf_check(key, "session", id2, tok));  /* another session's */
	assert_false(csrf_check(key, "login", id, tok));     /* the sign-in form's */
	assert_false(csrf_check(other, "session", id, tok)); /* another run's */
	csrf_token(key, "session", id2, tok2);
	assert_string_not_equal(tok, tok2);
	tok[10] = tok[10] == '0' ? '1' : '0';
	assert_false(csrf_check(key, "session", id, tok));
	assert_false(csrf_check(key, "session", id, NULL));
	assert_false(csrf_check(key, "session", id, ""));
	assert_false(csrf_check(key, "session", id, "abc"));
}

static void test_session_expiry(void **state)
{
	struct session_table t;
	struct web_session *s, *got;
	char id[SESSION_ID_HEX + 1];
	uint64_t now = 1000000;

	(void)state;
	assert_int_equal(session_table_init(&t, 4), 0);
	s = session_new(now, 60, now + 600); /* idle 60 s, absolute 10 min */
	assert_non_null(s);
	memcpy(id, s->id, sizeof(id));
	assert_int_equal(session_add(&t, s, now), 0);
	session_put(&t, s);
	assert_int_equal(session_count(&t), 1);

	got = session_get(&t, id, now + 59);
	assert_ptr_equal(got, s);
	session_put(&t, got);
	/* used at +59: idle is counted from there */
	got = session_get(&t, id, now + 118);
	assert_non_null(got);
	session_put(&t, got);
	/* unused for more than 60 s: gone, and taken out of the table */
	assert_null(session_get(&t, id, now + 118 + 61));
	assert_int_equal(session_count(&t), 0);

	/* the absolute limit holds however busy the session is */
	s = session_new(now, 60, now + 100);
	memcpy(id, s->id, sizeof(id));
	assert_int_equal(session_add(&t, s, now), 0);
	session_put(&t, s);
	for (uint64_t at = now + 30; at < now + 100; at += 30) {
		got = session_get(&t, id, at);
		assert_non_null(got);
		session_put(&t, got);
	}
	assert_null(session_get(&t, id, now + 100));

	/* a wrong id, or one of another length, finds nothing */
	s = session_new(now, 60, now + 600);
	memcpy(id, s->id, sizeof(id));
	session_add(&t, s, now);
	session_put(&t, s);
	id[0] = id[0] == 'a' ? 'b' : 'a';
	assert_null(session_get(&t, id, now));
	assert_null(session_get(&t, "short", now));
	assert_null(session_get(&t, NULL, now));
	session_table_release(&t);
}

static void test_session_bound_and_sweep(void **state)
{
	struct session_table t;
	struct web_session *s[3], *held;
	uint64_t now = 5000;

	(void)state;
	assert_int_equal(session_table_init(&t, 2), 0);
	for (int i = 0; i < 2; i++) {
		s[i] = session_new(now, 10 + 100 * i, now + 1000);
		assert_int_equal(session_add(&t, s[i], now), 0);
		session_put(&t, s[i]);
	}
	s[2] = session_new(now + 5, 100, now + 1000);
	assert_int_equal(session_add(&t, s[2], now + 5), PMIF_EBUSY); /* full of live ones */
	/* at +20 the first has expired: adding sweeps it and takes its slot */
	assert_int_equal(session_add(&t, s[2], now + 20), 0);
	session_put(&t, s[2]);
	assert_int_equal(session_count(&t), 2);
	assert_int_equal(session_sweep(&t, now + 20), 0);
	assert_int_equal(session_sweep(&t, now + 200), 2);
	assert_int_equal(session_count(&t), 0);

	/* ended while a request holds it: still readable until the last put */
	held = session_new(now, 100, now + 1000);
	session_add(&t, held, now);
	session_put(&t, held);
	held = session_get(&t, held->id, now + 1);
	assert_non_null(held);
	session_end(&t, held);
	assert_true(held->ended);
	assert_int_equal(session_count(&t), 0);
	assert_null(session_get(&t, held->id, now + 2));
	session_put(&t, held); /* frees it */
	session_table_release(&t);
}

static void test_throttle(void **state)
{
	struct web_throttle *t = malloc(sizeof(*t));
	unsigned wait = 0;
	uint64_t now = 100000;
	char user[32];

	(void)state;
	web_throttle_init(t);
	for (int i = 0; i < WEB_THROTTLE_PER_USER; i++) {
		assert_true(web_throttle_allowed(t, "olivia", "10.0.0.1", now, NULL));
		web_throttle_failed(t, "olivia", "10.0.0.1", now);
	}
	assert_false(web_throttle_allowed(t, "olivia", "10.0.0.2", now + 1, &wait));
	assert_true(wait > 0 && wait <= WEB_THROTTLE_WINDOW);
	assert_true(web_throttle_allowed(t, "admin", "10.0.0.2", now + 1, NULL));
	/* the window passes */
	assert_true(web_throttle_allowed(t, "olivia", "10.0.0.2", now + WEB_THROTTLE_WINDOW, NULL));
	/* per address: many names from one place */
	for (int i = 0; i < WEB_THROTTLE_PER_IP; i++) {
		snprintf(user, sizeof(user), "guess%d", i);
		web_throttle_failed(t, user, "10.9.9.9", now);
	}
	assert_false(web_throttle_allowed(t, "someone-new", "10.9.9.9", now + 2, NULL));
	assert_true(web_throttle_allowed(t, "someone-new", "10.9.9.8", now + 2, NULL));
	/* the table is bounded: a flood of names does not grow it or lose the block */
	for (int i = 0; i < 3 * WEB_THROTTLE_SLOTS; i++) {
		snprintf(user, sizeof(user), "flood%d", i);
		web_throttle_failed(t, user, "10.1.1.1", now + 3);
	}
	assert_false(web_throttle_allowed(t, "x", "10.1.1.1", now + 4, NULL));
	web_throttle_release(t);
	free(t);
}

/* The HTML fragment the pages embed: the report without its page shell. */
static void test_render_fragment(void **state)
{
	Pmif__Scorecard sc = PMIF__SCORECARD__INIT;
	Pmif__ReportFilter f = PMIF__REPORT_FILTER__INIT;
	struct render_options frag = {.tty = -1, .utf8 = 1, .now = 1700000000, .fragment = true};
	struct render_options whole = {.tty = -1, .utf8 = 1, .now = 1700000000};
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	f.period = "2022-23-Q4";
	sc.filter = &f;
	sc.title = "Scorecard <&>";
	out = open_memstream(&buf, &len);
	assert_int_equal(render_message_to(&sc.base, RENDER_HTML, out, &frag), 0);
	fclose(out);
	assert_non_null(strstr(buf, "Scorecard &lt;&amp;&gt;"));
	assert_non_null(strstr(buf, "2022-23-Q4"));
	assert_null(strstr(buf, "<html"));
	assert_null(strstr(buf, "<style"));
	assert_null(strstr(buf, "<main"));
	assert_null(strstr(buf, "</main"));
	assert_null(strstr(buf, "<footer"));
	assert_null(strstr(buf, "<header"));
	assert_null(strstr(buf, "style=\""));
	free(buf);
	buf = NULL;
	out = open_memstream(&buf, &len);
	assert_int_equal(render_message_to(&sc.base, RENDER_HTML, out, &whole), 0);
	fclose(out);
	assert_non_null(strstr(buf, "<html lang=\"en\">"));
	assert_non_null(strstr(buf, "<style>"));
	assert_non_null(strstr(buf, "<main>"));
	free(buf);
	assert_int_equal(render_message_to(NULL, RENDER_HTML, stdout, &frag), PMIF_EINVAL);
	assert_non_null(strstr(render_html_css(), ".rag-red"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_escape_garbage),
	    cmocka_unit_test(test_urlenc),
	    cmocka_unit_test(test_cookie_parse),
	    cmocka_unit_test(test_csrf),
	    cmocka_unit_test(test_session_expiry),
	    cmocka_unit_test(test_session_bound_and_sweep),
	    cmocka_unit_test(test_throttle),
	    cmocka_unit_test(test_render_fragment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
