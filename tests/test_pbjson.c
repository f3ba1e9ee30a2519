/*
 * test_pbjson.c - tests for common/pbjson.c, protobuf-c messages as JSON.
 *
 * Generated messages (UserInfo, AuditEntry, Reply, LoginReply,
 * UserListReply) are converted to compact sorted text and compared with
 * the text written out by hand.  Field kinds the .proto files do not use
 * yet (signed, fixed, float, repeated numbers and enums, oneof) come from
 * a message descriptor built here, so every branch of the converter is
 * exercised whatever the .proto files hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "pbjson.h"
#include "pmif.pb-c.h"
#include "store.pb-c.h"
#include "words.h"

/* Convert, compare with @p expect, free. */
static void expect_text(const ProtobufCMessage *m, const char *expect)
{
	char *got = pmif_pb_to_json_text(m);

	assert_non_null(got);
	if (strcmp(got, expect) != 0)
		fail_msg("got      %s\nexpected %s", got, expect);
	free(got);
}

/* ---- generated messages ------------------------------------------------- */

static void test_user_info(void **state)
{
	static char *dirs[] = {"CAF", "RD"};
	Pmif__UserInfo u = PMIF__USER_INFO__INIT;

	(void)state;
	expect_text(&u.base, "{\"created_unix\":0,\"directorates\":[],\"disabled\":false,"
	                     "\"last_login_unix\":0,\"must_change_password\":false,\"name\":\"\","
	                     "\"role\":\"role_none\"}");
	u.name = "ann.o-connor_2";
	u.role = PMIF__ROLE__DIRECTORATE;
	u.directorates = dirs;
	u.n_directorates = 2;
	u.disabled = 1;
	u.created_unix = 1700000000;
	u.last_login_unix = 1099511627781ull; /* 2^40 + 5 */
	u.must_change_password = 1;
	expect_text(&u.base, "{\"created_unix\":1700000000,\"directorates\":[\"CAF\",\"RD\"],"
	                     "\"disabled\":true,\"last_login_unix\":1099511627781,"
	                     "\"must_change_password\":true,\"name\":\"ann.o-connor_2\","
	                     "\"role\":\"directorate\"}");
	u.role = PMIF__ROLE__ADMIN;
	u.n_directorates = 0;
	u.name = "quote\"back\\slash\nnew";
	expect_text(&u.base, "{\"created_unix\":1700000000,\"directorates\":[],"
	                     "\"disabled\":true,\"last_login_unix\":1099511627781,"
	                     "\"must_change_password\":true,"
	                     "\"name\":\"quote\\\"back\\\\slash\\nnew\",\"role\":\"admin\"}");
	/* a value the enum does not know stays a number */
	u.role = (Pmif__Role)42;
	u.name = "x";
	expect_text(&u.base, "{\"created_unix\":1700000000,\"directorates\":[],"
	                     "\"disabled\":true,\"last_login_unix\":1099511627781,"
	                     "\"must_change_password\":true,\"name\":\"x\",\"role\":42}");
}

static void test_audit_entry(void **state)
{
	static uint8_t rid[] = {0x00, 0x01, 0xab, 0xff};
	static uint8_t prev[32], hash[32];
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	char hex32[65];

	(void)state;
	for (int i = 0; i < 32; i++) {
		prev[i] = 0;
		hash[i] = (uint8_t)(0xf0 + i % 16);
	}
	e.seq = 1ull << 40;
	e.time_unix_us = 1700000000123456ull;
	e.user = "root";
	e.role = PMIF__ROLE__MEMBER;
	e.method = "UserDisable";
	e.key = "user/ann";
	e.before = "{\"disabled\":false}";
	e.after = "";
	e.request_id.data = rid;
	e.request_id.len = sizeof(rid);
	e.code = PMIF__CODE__PERMISSION_DENIED;
	e.detail = "d";
	e.prev_hash.data = prev;
	e.prev_hash.len = 32;
	e.hash.data = hash;
	e.hash.len = 32;
	pmif_hex(hash, 32, hex32);
	assert_string_equal(hex32,
	                    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfefff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
	expect_text(
	    &e.base,
	    "{\"after\":\"\",\"after_image\":null,\"before\":\"{\\\"disabled\\\":false}\","
	    "\"before_image\":null,\"code\":\"permission_denied\",\"detail\":\"d\","
	    "\"hash\":\"f0f1f2f3f4f5f6f7f8f9fafbfcfdfefff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff\","
	    "\"image_type\":\"\","
	    "\"key\":\"user/ann\",\"method\":\"UserDisable\","
	    "\"prev_hash\":\"0000000000000000000000000000000000000000000000000000000000000000\","
	    "\"request_id\":\"0001abff\",\"role\":\"member\",\"seq\":1099511627776,"
	    "\"time_unix_us\":1700000000123456,\"user\":\"root\"}");
}

static void test_reply(void **state)
{
	static char *warnings[] = {"value is far above its history", "no target set"};
	static uint8_t body[] = {0x0a, 0x03, 'a', 'b', 'c'};
	Pmif__Reply r = PMIF__REPLY__INIT;

	(void)state;
	expect_text(&r.base, "{\"body\":\"\",\"code\":\"ok\",\"message\":\"\",\"warnings\":[]}");
	r.code = PMIF__CODE__UNAUTHENTICATED;
	r.message = "wrong user name or password";
	r.body.data = body;
	r.body.len = sizeof(body);
	r.warnings = warnings;
	r.n_warnings = 2;
	expect_text(&r.base,
	            "{\"body\":\"0a03616263\",\"code\":\"unauthenticated\","
	            "\"message\":\"wrong user name or password\","
	            "\"warnings\":[\"value is far above its history\",\"no target set\"]}");
}

static void test_nested_and_null(void **state)
{
	static uint8_t tok[2] = {0xde, 0xad};
	Pmif__LoginReply r = PMIF__LOGIN_REPLY__INIT;
	Pmif__UserInfo u = PMIF__USER_INFO__INIT;

	(void)state;
	r.token.data = tok;
	r.token.len = 2;
	r.idle_expiry_seconds = 1800;
	r.absolute_expiry_unix = 1700043200;
	/* an unset message field is null */
	expect_text(&r.base,
	            "{\"absolute_expiry_unix\":1700043200,\"idle_expiry_seconds\":1800,"
	            "\"must_change_password\":false,\"rebind_secret\":\"\",\"token\":\"dead\","
	            "\"user\":null}");
	u.name = "bob";
	u.role = PMIF__ROLE__MEMBER;
	r.user = &u;
	expect_text(&r.base,
	            "{\"absolute_expiry_unix\":1700043200,\"idle_expiry_seconds\":1800,"
	            "\"must_change_password\":false,\"rebind_secret\":\"\",\"token\":\"dead\","
	            "\"user\":{\"created_unix\":0,"
	            "\"directorates\":[],\"disabled\":false,\"last_login_unix\":0,"
	            "\"must_change_password\":false,\"name\":\"bob\",\"role\":\"member\"}}");
}

static void test_repeated_messages(void **state)
{
	Pmif__UserListReply r = PMIF__USER_LIST_REPLY__INIT;
	Pmif__UserInfo a = PMIF__USER_INFO__INIT, b = PMIF__USER_INFO__INIT;
	Pmif__UserInfo *list[] = {&a, &b};
	json_t *j, *users;

	(void)state;
	expect_text(&r.base, "{\"users\":[]}");
	a.name = "a";
	a.role = PMIF__ROLE__ADMIN;
	b.name = "b";
	b.role = PMIF__ROLE__MEMBER;
	r.users = list;
	r.n_users = 2;
	j = pmif_pb_to_json(&r.base);
	assert_non_null(j);
	users = json_object_get(j, "users");
	assert_true(json_is_array(users));
	assert_int_equal(json_array_size(users), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(users, 0), "name")),
	                    "a");
	assert_string_equal(json_string_value(json_object_get(json_array_get(users, 1), "role")),
	                    "member");
	json_decref(j);
}

static void test_null_and_helpers(void **state)
{
	char *s = pmif_pb_to_json_text(NULL);
	char hex[9];
	static const uint8_t b[] = {0x00, 0x7f, 0x80, 0xff};

	(void)state;
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	pmif_hex(b, 4, hex);
	assert_string_equal(hex, "007f80ff");
	pmif_hex(b, 0, hex);
	assert_string_equal(hex, "");
	assert_string_equal(pmif_pb_enum_name(&pmif__role__descriptor, PMIF__ROLE__ADMIN), "ADMIN");
	assert_string_equal(pmif_pb_enum_name(&pmif__code__descriptor, PMIF__CODE__NOT_FOUND),
	                    "NOT_FOUND");
	assert_null(pmif_pb_enum_name(&pmif__role__descriptor, 99));
	assert_null(pmif_pb_enum_name(&pmif__role__descriptor, -1));
}

/* ---- every field kind, from a descriptor built here ---------------------- */

struct kinds {
	ProtobufCMessage base;
	int32_t i32, s32, sf32;
	uint32_t u32, f32;
	int64_t i64, s64, sf64;
	uint64_t u64, f64;
	float fl;
	double db;
	protobuf_c_boolean b;
	int role;
	char *str;
	ProtobufCBinaryData by;
	Pmif__UserInfo *msg;
	size_t n_dbls;
	double *dbls;
	size_t n_bools;
	protobuf_c_boolean *bools;
	size_t n_i64s;
	int64_t *i64s;
	size_t n_u32s;
	uint32_t *u32s;
	size_t n_roles;
	int *roles;
	size_t n_bys;
	ProtobufCBinaryData *bys;
	size_t n_floats;
	float *floats;
	uint32_t which; /* oneof case */
	char *one_a;
	uint32_t one_b;
};

#define F(nm, num, lab, ty, field)                                                                 \
	{                                                                                          \
		.name = nm, .id = num, .label = PROTOBUF_C_LABEL_##lab,                            \
		.type = PROTOBUF_C_TYPE_##ty, .offset = offsetof(struct kinds, field)              \
	}
#define R(nm, num, ty, field, count)                                                               \
	{                                                                                          \
		.name = nm, .id = num, .label = PROTOBUF_C_LABEL_REPEATED,                         \
		.type = PROTOBUF_C_TYPE_##ty, .offset = offsetof(struct kinds, field),             \
		.quantifier_offset = offsetof(struct kinds, count)                                 \
	}

static const ProtobufCFieldDescriptor kinds_fields[] = {
    F("i32", 1, NONE, INT32, i32),
    F("s32", 2, NONE, SINT32, s32),
    F("sf32", 3, NONE, SFIXED32, sf32),
    F("u32", 4, NONE, UINT32, u32),
    F("f32", 5, NONE, FIXED32, f32),
    F("i64", 6, NONE, INT64, i64),
    F("s64", 7, NONE, SINT64, s64),
    F("sf64", 8, NONE, SFIXED64, sf64),
    F("u64", 9, NONE, UINT64, u64),
    F("f64", 10, NONE, FIXED64, f64),
    F("fl", 11, NONE, FLOAT, fl),
    F("db", 12, NONE, DOUBLE, db),
    F("b", 13, NONE, BOOL, b),
    {.name = "role",
     .id = 14,
     .label = PROTOBUF_C_LABEL_NONE,
     .type = PROTOBUF_C_TYPE_ENUM,
     .offset = offsetof(struct kinds, role),
     .descriptor = &pmif__role__descriptor},
    F("str", 15, NONE, STRING, str),
    F("by", 16, NONE, BYTES, by),
    {.name = "msg",
     .id = 17,
     .label = PROTOBUF_C_LABEL_NONE,
     .type = PROTOBUF_C_TYPE_MESSAGE,
     .offset = offsetof(struct kinds, msg),
     .descriptor = &pmif__user_info__descriptor},
    R("dbls", 18, DOUBLE, dbls, n_dbls),
    R("bools", 19, BOOL, bools, n_bools),
    R("i64s", 20, INT64, i64s, n_i64s),
    R("u32s", 21, UINT32, u32s, n_u32s),
    {.name = "roles",
     .id = 22,
     .label = PROTOBUF_C_LABEL_REPEATED,
     .type = PROTOBUF_C_TYPE_ENUM,
     .offset = offsetof(struct kinds, roles),
     .quantifier_offset = offsetof(struct kinds, n_roles),
     .descriptor = &pmif__role__descriptor},
    R("bys", 23, BYTES, bys, n_bys),
    R("floats", 24, FLOAT, floats, n_floats),
    {.name = "one_a",
     .id = 30,
     .label = PROTOBUF_C_LABEL_NONE,
     .type = PROTOBUF_C_TYPE_STRING,
     .offset = offsetof(struct kinds, one_a),
     .quantifier_offset = offsetof(struct kinds, which),
     .flags = PROTOBUF_C_FIELD_FLAG_ONEOF},
    {.name = "one_b",
     .id = 31,
     .label = PROTOBUF_C_LABEL_NONE,
     .type = PROTOBUF_C_TYPE_UINT32,
     .offset = offsetof(struct kinds, one_b),
     .quantifier_offset = offsetof(struct kinds, which),
     .flags = PROTOBUF_C_FIELD_FLAG_ONEOF},
};

static const ProtobufCMessageDescriptor kinds_descriptor = {
    .magic = PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
    .name = "test.Kinds",
    .short_name = "Kinds",
    .c_name = "Kinds",
    .package_name = "test",
    .sizeof_message = sizeof(struct kinds),
    .n_fields = sizeof(kinds_fields) / sizeof(kinds_fields[0]),
    .fields = kinds_fields,
};

static void kinds_init(struct kinds *k)
{
	memset(k, 0, sizeof(*k));
	k->base.descriptor = &kinds_descriptor;
}

static void test_every_kind(void **state)
{
	static double dbls[] = {1.5, -2.5, 0.0};
	static protobuf_c_boolean bools[] = {1, 0, 1};
	static int64_t i64s[] = {1, -1, INT64_MIN};
	static uint32_t u32s[] = {0, UINT32_MAX};
	static int roles[] = {PMIF__ROLE__ADMIN, PMIF__ROLE__MEMBER, 77};
	static uint8_t b0[] = {0x00, 0xff};
	static ProtobufCBinaryData bys[] = {{2, b0}, {0, NULL}};
	static float floats[] = {0.25f, -8.0f};
	Pmif__UserInfo u = PMIF__USER_INFO__INIT;
	struct kinds k;

	(void)state;
	kinds_init(&k);
	k.i32 = -5;
	k.s32 = -6;
	k.sf32 = INT32_MIN;
	k.u32 = 4000000000u;
	k.f32 = UINT32_MAX;
	k.i64 = -(1ll << 40);
	k.s64 = INT64_MIN;
	k.sf64 = INT64_MAX;
	k.u64 = 1ull << 62;
	k.f64 = 12345678901234ull;
	k.fl = 0.5f;
	k.db = 2.25;
	k.b = 1;
	k.role = PMIF__ROLE__DIRECTORATE;
	k.str = "s";
	k.by.data = b0;
	k.by.len = 2;
	u.name = "n";
	k.msg = &u;
	k.dbls = dbls;
	k.n_dbls = 3;
	k.bools = bools;
	k.n_bools = 3;
	k.i64s = i64s;
	k.n_i64s = 3;
	k.u32s = u32s;
	k.n_u32s = 2;
	k.roles = roles;
	k.n_roles = 3;
	k.bys = bys;
	k.n_bys = 2;
	k.floats = floats;
	k.n_floats = 2;
	k.which = 31;
	k.one_a = "not the chosen one";
	k.one_b = 9;
	expect_text(
	    &k.base,
	    "{\"b\":true,\"bools\":[true,false,true],\"by\":\"00ff\",\"bys\":[\"00ff\",\"\"],"
	    "\"db\":2.25,\"dbls\":[1.5,-2.5,0.0],\"f32\":4294967295,"
	    "\"f64\":12345678901234,\"fl\":0.5,\"floats\":[0.25,-8.0],"
	    "\"i32\":-5,\"i64\":-1099511627776,"
	    "\"i64s\":[1,-1,-9223372036854775808],"
	    "\"msg\":{\"created_unix\":0,\"directorates\":[],\"disabled\":false,"
	    "\"last_login_unix\":0,\"must_change_password\":false,\"name\":\"n\","
	    "\"role\":\"role_none\"},"
	    "\"one_b\":9,\"role\":\"directorate\",\"roles\":[\"admin\",\"member\",77],"
	    "\"s32\":-6,\"s64\":-9223372036854775808,\"sf32\":-2147483648,"
	    "\"sf64\":9223372036854775807,\"str\":\"s\",\"u32\":4000000000,"
	    "\"u32s\":[0,4294967295],\"u64\":4611686018427387904}");
	/* the other member of the oneof, and none */
	k.which = 30;
	{
		json_t *j = pmif_pb_to_json(&k.base);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "one_a")),
		                    "not the chosen one");
		assert_null(json_object_get(j, "one_b"));
		json_decref(j);
	}
	k.which = 0;
	{
		json_t *j = pmif_pb_to_json(&k.base);
		assert_non_null(j);
		assert_null(json_object_get(j, "one_a"));
		assert_null(json_object_get(j, "one_b"));
		json_decref(j);
	}
}

/*
 * Unsigned 64-bit values above INT64_MAX (random ids, hashes folded into
 * integers, fixed64 fields) must not come out negative: pbjson.c casts
 * them to json_int_t.  Either an exact number or the exact decimal text
 * is right; a negative number is not.
 */
static void test_uint64_above_int64_max(void **state)
{
	static const uint64_t values[] = {(1ull << 63) + 1, UINT64_MAX};
	struct kinds k;

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char want[32], wrong[128] = "";
		json_t *j;

		kinds_init(&k);
		k.u64 = values[i];
		k.f64 = values[i];
		snprintf(want, sizeof(want), "%llu", (unsigned long long)values[i]);
		j = pmif_pb_to_json(&k.base);
		assert_non_null(j);
		for (int f = 0; f < 2 && !wrong[0]; f++) {
			const char *name = f ? "f64" : "u64";
			json_t *v = json_object_get(j, name);

			if (v == NULL)
				snprintf(wrong, sizeof(wrong), "%s is missing", name);
			else if (json_is_string(v) && strcmp(json_string_value(v), want) != 0)
				snprintf(wrong, sizeof(wrong), "%s = %s came out as \"%s\"", name,
				         want, json_string_value(v));
			else if (json_is_integer(v) && json_integer_value(v) < 0)
				snprintf(wrong, sizeof(wrong), "%s = %s came out as %lld", name,
				         want, (long long)json_integer_value(v));
			else if (!json_is_string(v) &&
			         !(json_is_number(v) && json_number_value(v) > 0))
				snprintf(wrong, sizeof(wrong), "%s = %s is not a positive number",
				         name, want);
		}
		json_decref(j);
		if (wrong[0])
			fail_msg("%s", wrong);
	}
}

/*
 * Garbage: text that is not UTF-8 (a CSV saved as Windows-1252, a name cut
 * mid-character by "%.64s") and non-finite doubles.  pbjson.h promises NULL
 * only when out of memory, and callers rely on it: the client prints
 * nothing at all for --json, the audit records before/after as "".  The
 * conversion must give valid JSON that keeps the field.
 */
static void test_invalid_utf8_and_non_finite(void **state)
{
	static const char *const bad[] = {"caf\xe9", "\xff\xfe", "ab\xc3", "\xed\xa0\x80"};
	static const double odd[] = {NAN, INFINITY, -INFINITY};
	Pmif__UserInfo u = PMIF__USER_INFO__INIT;
	struct kinds k;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *text;
		json_t *back;

		u.name = (char *)bad[i];
		text = pmif_pb_to_json_text(&u.base);
		if (text == NULL)
			fail_msg("name \"%s\" (not UTF-8) made the whole conversion fail", bad[i]);
		back = json_loads(text, 0, NULL);
		assert_non_null(back);
		assert_true(json_is_string(json_object_get(back, "name")));
		json_decref(back);
		free(text);
	}
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		char *text;
		json_t *back;

		kinds_init(&k);
		k.db = odd[i];
		text = pmif_pb_to_json_text(&k.base);
		if (text == NULL)
			fail_msg("double %g made the whole conversion fail", odd[i]);
		back = json_loads(text, 0, NULL);
		assert_non_null(back);
		assert_non_null(json_object_get(back, "db"));
		json_decref(back);
		free(text);
	}
}

/* Random bytes that happen to unpack: converting them never crashes. */
static void test_garbage_messages(void **state)
{
	const ProtobufCMessageDescriptor *descs[] = {
	    &pmif__user_info__descriptor, &pmif__audit_entry__descriptor, &pmif__reply__descriptor,
	    &pmif__login_reply__descriptor, &pmif__user_list_reply__descriptor};
	uint8_t buf[128];
	int unpacked = 0;

	(void)state;
	srand(31337);
	for (int i = 0; i < 20000; i++) {
		const ProtobufCMessageDescriptor *d = descs[i % 5];
		size_t len = (size_t)rand() % sizeof(buf);
		ProtobufCMessage *m;
		json_t *j;

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)(rand() % 4 ? rand() % 0x80 : rand());
		/* a plausible first tag now and then */
		if (len > 2 && i % 3 == 0)
			buf[0] = (uint8_t)((1 + rand() % 4) << 3 | (rand() % 3));
		m = protobuf_c_message_unpack(d, NULL, len, buf);
		if (m == NULL)
			continue;
		unpacked++;
		j = pmif_pb_to_json(m);
		json_decref(j);
		protobuf_c_message_free_unpacked(m, NULL);
	}
	assert_true(unpacked > 100);
}

/* The role words (common/words.c) both programs print and parse. */
static void test_role_words(void **state)
{
	(void)state;
	for (int r = PMIF__ROLE__ADMIN; r <= PMIF__ROLE__MEMBER; r++)
		assert_int_equal(pmif_role_parse(pmif_role_word((Pmif__Role)r, NULL)), r);
	assert_string_equal(pmif_role_word(PMIF__ROLE__DIRECTORATE, NULL), "directorate");
	assert_string_equal(pmif_role_word(PMIF__ROLE__ROLE_NONE, "none"), "none");
	assert_string_equal(pmif_role_word((Pmif__Role)99, "?"), "?");
	assert_int_equal(pmif_role_parse("Admin"), PMIF__ROLE__ROLE_NONE);
	assert_int_equal(pmif_role_parse(""), PMIF__ROLE__ROLE_NONE);
	assert_int_equal(pmif_role_parse(NULL), PMIF__ROLE__ROLE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_user_info),
	    cmocka_unit_test(test_audit_entry),
	    cmocka_unit_test(test_reply),
	    cmocka_unit_test(test_nested_and_null),
	    cmocka_unit_test(test_repeated_messages),
	    cmocka_unit_test(test_null_and_helpers),
	    cmocka_unit_test(test_every_kind),
	    cmocka_unit_test(test_role_words),
	    cmocka_unit_test(test_uint64_above_int64_max),
	    cmocka_unit_test(test_invalid_utf8_and_non_finite),
	    cmocka_unit_test(test_garbage_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
