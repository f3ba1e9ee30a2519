/*
 * test_values_decode.c - values_decode_numbers() (server/values_store.c)
 * against protobuf-c itself: the same numbers from every record protobuf-c
 * packs, and on damaged bytes either a refusal or the same numbers
 * protobuf-c reads, never a crash.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "values.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double any_double(void)
{
	static const double special[] = {0.0, -0.0, 1.5, -273.15, 1e308, 5e-324, 100, 84.25};
	uint64_t r = next();

	if (r % 4 == 0)
		return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))];
	if (r % 4 == 1)
		return NAN;
	return (double)(int64_t)(next() % 2000001) / 1000.0 - 1000.0;
}

static char *any_text(char *buf, size_t cap)
{
	size_t n = next() % cap;

	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(' ' + next() % 95);
	buf[n] = '\0';
	return buf;
}

static void same_numbers(const Pmif__ValueRecord *r, const struct value_point *pt)
{
	/* bit-for-bit: NaN and -0.0 included */
	assert_memory_equal(&r->value, &pt->value, sizeof(double));
	assert_memory_equal(&r->numerator, &pt->numerator, sizeof(double));
	assert_memory_equal(&r->denominator, &pt->denominator, sizeof(double));
	assert_int_equal(r->has_fraction, pt->has_fraction);
	assert_int_equal((int)r->status, pt->status);
	assert_int_equal(r->revision, pt->revision);
}

static void test_agrees_with_protobuf_c(void **state)
{
	char t[6][80];
	uint8_t buf[1024];

	(void)state;
	for (int i = 0; i < 20000; i++) {
		Pmif__ValueRecord r = PMIF__VALUE_RECORD__INIT, *back;
		struct value_point pt;
		size_t len;

		r.measure = any_text(t[0], sizeof(t[0]));
		r.period = any_text(t[1], sizeof(t[1]));
		r.locality = any_text(t[2], sizeof(t[2]));
		r.note = any_text(t[3], sizeof(t[3]));
		r.submitted_by = any_text(t[4], sizeof(t[4]));
		r.approved_by = any_text(t[5], sizeof(t[5]));
		r.value = any_double();
		r.has_fraction = next() % 2;
		r.numerator = any_double();
		r.denominator = any_double();
		r.status = (Pmif__ValueStatus)(next() % 3);
		r.submitted_unix = next();
		r.approved_unix = next() % 3 ? next() : 0;
		r.revision = (uint32_t)next();
		len = pmif__value_record__pack(&r, buf);
		assert_true(len <= sizeof(buf));
		assert_int_equal(values_decode_numbers(buf, len, &pt), 0);
		assert_ptr_equal(pt.raw, buf);
		assert_int_equal(pt.raw_len, len);
		back = pmif__value_record__unpack(NULL, len, buf);
		assert_non_null(back);
		same_numbers(back, &pt);
		pmif__value_record__free_unpacked(back, NULL);
	}
}

static void test_empty_record_is_all_defaults(void **state)
{
	struct value_point pt;

	(void)state;
	assert_int_equal(values_decode_numbers("", 0, &pt), 0);
	assert_true(pt.value == 0 && !pt.has_fraction && pt.status == 0 && pt.revision == 0);
}

static void test_damaged_bytes(void **state)
{
	Pmif__ValueRecord r = PMIF__VALUE_RECORD__INIT;
	uint8_t good[512], bad[512];
	size_t len;
	int agreed = 0, refused = 0;

	(void)state;
	r.measure = "FSM-UPTAKE";
	r.period = "2022-23-Q4";
	r.note = "kitchen strike";
	r.value = 84.5;
	r.has_fraction = 1;
	r.numerator = 169;
	r.denominator = 200;
	r.status = PMIF__VALUE_STATUS__APPROVED;
	r.revision = 3;
	len = pmif__value_record__pack(&r, good);
	for (int i = 0; i < 50000; i++) {
		size_t n = next() % 3 == 0 ? next() % (len + 1) : len;
		Pmif__ValueRecord *back;
		struct value_point pt;
		int rc;

		memcpy(bad, good, len);
		for (int k = 0, flips = 1 + (int)(next() % 4); k < flips; k++)
			bad[next() % len] ^= (uint8_t)(1u << (next() % 8));
		rc = values_decode_numbers(bad, n, &pt);
		back = pmif__value_record__unpack(NULL, n, bad);
		if (rc != 0) {
			assert_int_equal(rc, PMIF_ESTORE);
			refused++;
		} else if (back != NULL) {
			same_numbers(back, &pt);
			agreed++;
		}
		if (back)
			pmif__value_record__free_unpacked(back, NULL);
	}
	/* both kinds of outcome were exercised */
	assert_true(agreed > 1000);
	assert_true(refused > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_agrees_with_protobuf_c),
	    cmocka_unit_test(test_empty_record_is_all_defaults),
	    cmocka_unit_test(test_damaged_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
