/*
 * test_rpc_table.c - the method table (server/rpc_table.c) against the
 * generated Pmif service descriptor.
 *
 * This test guards the rule that no method goes without a table entry: it
 * walks every method of the service and fails on any that has none, that
 * is matched to an entry of another name, or whose entry could not work
 * (no handler, no role, no size limit, a prepare step the dispatcher would
 * never run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>

#include <cmocka.h>

#include "frame.h"
#include "pmif.pb-c.h"
#include "rpc.h"

static const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;

static void test_before_init(void **state)
{
	(void)state;
	/* nothing is allowed before the table is built */
	assert_null(rpc_method_at(0));
}

static void test_init(void **state)
{
	(void)state;
	assert_int_equal(rpc_table_init(), 0);
	/* idempotent */
	assert_int_equal(rpc_table_init(), 0);
}

static void test_every_method_has_its_entry(void **state)
{
	(void)state;
	assert_true(svc->n_methods > 0);
	for (unsigned i = 0; i < svc->n_methods; i++) {
		const struct rpc_method *m = rpc_method_at(i);

		if (m == NULL)
			fail_msg("method %u (%s) has no entry in the rpc table", i,
			         svc->methods[i].name);
		if (m->name == NULL || strcmp(m->name, svc->methods[i].name) != 0)
			fail_msg("method %u is %s but its entry is %s", i, svc->methods[i].name,
			         m->name ? m->name : "(null)");
	}
}

static void test_entries_are_distinct(void **state)
{
	(void)state;
	for (unsigned i = 0; i < svc->n_methods; i++)
		for (unsigned k = i + 1; k < svc->n_methods; k++)
			assert_ptr_not_equal(rpc_method_at(i), rpc_method_at(k));
}

static void test_entries_are_usable(void **state)
{
	(void)state;
	for (unsigned i = 0; i < svc->n_methods; i++) {
		const struct rpc_method *m = rpc_method_at(i);
		unsigned known_roles = RPC_ANY_ROLE | RPC_PUBLIC;
		unsigned known_flags = RPC_WRITE | RPC_AUDIT_FAILURES | RPC_SECRET_REPLY |
		                       RPC_NO_REPLAY_CACHE | RPC_SNAPSHOT_CACHE;

		assert_non_null(m);
		if (m->handle == NULL)
			fail_msg("%s has no handler", m->name);
		if ((m->flags & RPC_WRITE) && m->handle == NULL)
			fail_msg("write method %s has no handler", m->name);
		if (!(m->roles & RPC_PUBLIC) && (m->roles & RPC_ANY_ROLE) == 0)
			fail_msg("%s needs a session but no role may call it", m->name);
		if (m->roles & ~known_roles)
			fail_msg("%s names an unknown role bit (0x%x)", m->name, m->roles);
		if (m->flags & ~known_flags)
			fail_msg("%s has an unknown flag (0x%x)", m->name, m->flags);
		/* a cached answer must be a pure read, for a known caller */
		if ((m->flags & RPC_SNAPSHOT_CACHE) &&
		    ((m->flags & RPC_WRITE) || (m->roles & RPC_PUBLIC)))
			fail_msg("%s is cached by snapshot but writes or needs no session",
			         m->name);
		/* refusals say what the caller may not do, in words, never the
		 * method's name: "which may not sign off values" */
		if (m->does == NULL || m->does[0] < 'a' || m->does[0] > 'z')
			fail_msg("%s has no 'does' phrase in lower case", m->name);
		for (unsigned k = 0; m->does && k < svc->n_methods; k++)
			if (strstr(m->does, svc->methods[k].name))
				fail_msg("%s's 'does' names the method %s", m->name,
				         svc->methods[k].name);
		if (m->max_request == 0)
			fail_msg("%s accepts no input at all (max_request 0)", m->name);
		if (m->max_request > PMIF_FRAME_MAX_PLAINTEXT)
			fail_msg("%s accepts more than a frame can carry", m->name);
		/* the dispatcher runs prepare, audits failures and keeps replies
		 * only for writes: on a read these would silently do nothing */
		if (m->prepare && !(m->flags & RPC_WRITE))
			fail_msg("%s is a read with a prepare step that never runs", m->name);
		if ((m->flags & (RPC_AUDIT_FAILURES | RPC_SECRET_REPLY | RPC_NO_REPLAY_CACHE)) &&
		    !(m->flags & RPC_WRITE))
			fail_msg("%s has write-only flags but is not a write", m->name);
	}
}

static void test_expected_rules(void **state)
{
	const ProtobufCMethodDescriptor *d;
	const struct rpc_method *m;

	(void)state;
	/* Only Health and Login may be called without a session */
	for (unsigned i = 0; i < svc->n_methods; i++) {
		m = rpc_method_at(i);
		if (m->roles & RPC_PUBLIC)
			assert_true(strcmp(m->name, "Health") == 0 ||
			            strcmp(m->name, "Login") == 0);
	}
	/* user administration is for admins only */
	for (unsigned i = 0; i < svc->n_methods; i++) {
		m = rpc_method_at(i);
		if (strncmp(m->name, "User", 4) == 0)
			assert_int_equal(m->roles, RPC_ADMIN);
	}
	/* the index on the wire is the descriptor's */
	d = protobuf_c_service_descriptor_get_method_by_name(svc, "Login");
	assert_non_null(d);
	m = rpc_method_at((unsigned)(d - svc->methods));
	assert_string_equal(m->name, "Login");
	assert_true(m->flags & RPC_WRITE);
	assert_true(m->flags & RPC_AUDIT_FAILURES);
	assert_true(m->flags & RPC_SECRET_REPLY);
	d = protobuf_c_service_descriptor_get_method_by_name(svc, "WhoAmI");
	m = rpc_method_at((unsigned)(d - svc->methods));
	assert_false(m->flags & RPC_WRITE);
	assert_int_equal(m->roles, RPC_ANY_ROLE);
}

static void test_out_of_range(void **state)
{
	(void)state;
	assert_null(rpc_method_at(svc->n_methods));
	assert_null(rpc_method_at(svc->n_methods + 1));
	assert_null(rpc_method_at(255));
	assert_null(rpc_method_at(256));
	assert_null(rpc_method_at(UINT_MAX));
	assert_null(rpc_method_at((unsigned)-1 / 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_before_init),
	    cmocka_unit_test(test_init),
	    cmocka_unit_test(test_every_method_has_its_entry),
	    cmocka_unit_test(test_entries_are_distinct),
	    cmocka_unit_test(test_entries_are_usable),
	    cmocka_unit_test(test_expected_rules),
	    cmocka_unit_test(test_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
