/*
 * rpc_table.c - the one table of every method: handler, who may call it,
 * whether it writes, and how large its input may be.
 *
 * Entries are matched to the generated Pmif service descriptor by name at
 * start-up, so the method index on the wire is the descriptor's.  A method
 * in the .proto without an entry here (or an entry naming no method) stops
 * pmifd from starting and fails tests/test_rpc_table.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "log.h"
#include "rpc.h"

#define KB 1024
/* A values CSV file: about a million rows. */
#define VALUE_IMPORT_MAX ((size_t)120 << 20)
/* A comparator CSV: 100,000 rows of a council's name and figure. */
#define COMPARATOR_IMPORT_MAX ((size_t)8 << 20)

static const struct rpc_method methods[] = {
    {.name = "Health",
     .does = "ask the server's health",
     .handle = rpc_health,
     .roles = RPC_PUBLIC,
     .max_request = 64},
    {.name = "Login",
     .does = "log in",
     .handle = rpc_login,
     .prepare = rpc_login_prepare,
     .roles = RPC_PUBLIC,
     .flags = RPC_WRITE | RPC_AUDIT_FAILURES | RPC_SECRET_REPLY | RPC_NO_REPLAY_CACHE,
     .max_request = 2 * KB},
    {.name = "Logout",
     .does = "log out",
     .handle = rpc_logout,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_WRITE,
     .max_request = 64},
    {.name = "WhoAmI",
     .does = "ask who is logged in",
     .handle = rpc_whoami,
     .roles = RPC_ANY_ROLE,
     .max_request = 64},
    {.name = "PasswordChange",
     .does = "change a password",
     .handle = rpc_password_change,
     .prepare = rpc_password_change_prepare,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_WRITE | RPC_AUDIT_FAILURES,
     .max_request = 3 * KB},
    {.name = "UserAdd",
     .does = "add users",
     .handle = rpc_user_add,
     .prepare = rpc_user_add_prepare,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE | RPC_SECRET_REPLY,
     .max_request = 4 * KB},
    {.name = "UserList",
     .does = "list users",
     .handle = rpc_user_list,
     .roles = RPC_ADMIN,
     .max_request = 64},
    {.name = "UserShow",
     .does = "look up users",
     .handle = rpc_user_show,
     .roles = RPC_ADMIN,
     .max_request = KB},
    {.name = "UserDisable",
     .does = "disable users",
     .handle = rpc_user_disable,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "UserEnable",
     .does = "enable users",
     .handle = rpc_user_enable,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "UserResetPassword",
     .does = "reset users' passwords",
     .handle = rpc_user_reset_password,
     .prepare = rpc_user_reset_password_prepare,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE | RPC_SECRET_REPLY,
     .max_request = 3 * KB},
    {.name = "UserSetRole",
     .does = "change users' roles",
     .handle = rpc_user_set_role,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = 4 * KB},
    /* the framework: anyone logged in reads it, admins change it */
    {.name = "FrameworkLoad",
     .does = "load the framework",
     .handle = rpc_framework_load,
     .prepare = rpc_framework_load_prepare,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = 3 * KB * KB + 4 * KB}, /* FW_MAX_FILE and the file name */
    {.name = "FrameworkShow",
     .does = "read the framework",
     .handle = rpc_framework_show,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "FrameworkList",
     .does = "list the framework",
     .handle = rpc_framework_list,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "FrameworkGet",
     .does = "read the framework",
     .handle = rpc_framework_get,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "FrameworkAdd",
     .does = "add to the framework",
     .handle = rpc_framework_add,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = 64 * KB},
    {.name = "FrameworkEdit",
     .does = "edit the framework",
     .handle = rpc_framework_edit,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = 64 * KB},
    {.name = "FrameworkRetire",
     .does = "retire parts of the framework",
     .handle = rpc_framework_retire,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "FrameworkRestore",
     .does = "restore retired parts of the framework",
     .handle = rpc_framework_restore,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "PeriodList",
     .does = "list the periods",
     .handle = rpc_period_list,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "PeriodOpen",
     .does = "open periods",
     .handle = rpc_period_open,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "PeriodLock",
     .does = "lock periods",
     .handle = rpc_period_lock,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "PeriodUnlock",
     .does = "unlock periods",
     .handle = rpc_period_unlock,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = KB},
    /* data entry: directorates write only what they own (the owner hook) */
    {.name = "ValueSet",
     .does = "enter values",
     .handle = rpc_value_set,
     .owner = owner_of_value,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = 8 * KB},
    {.name = "ValueGet",
     .does = "read values",
     .handle = rpc_value_get,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "ValueHistory",
     .does = "read a value's history",
     .handle = rpc_value_history,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "ValueApprove",
     .does = "sign off values",
     .handle = rpc_value_approve,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "ValueImport",
     .does = "import values",
     .handle = rpc_value_import,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = VALUE_IMPORT_MAX},
    {.name = "ValueImportCheck",
     .does = "check value imports",
     .handle = rpc_value_import_check,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .max_request = VALUE_IMPORT_MAX},
    {.name = "CommentarySet",
     .does = "write commentary",
     .handle = rpc_commentary_set,
     .owner = owner_of_commentary,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = 64 * KB},
    {.name = "CommentaryGet",
     .does = "read commentary",
     .handle = rpc_commentary_get,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "InterventionUpdate",
     .does = "record intervention progress",
     .handle = rpc_intervention_update,
     .owner = owner_of_intervention_update,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = 64 * KB},
    {.name = "InterventionUpdates",
     .does = "read intervention progress",
     .handle = rpc_intervention_updates,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "CaseStudyAdd",
     .does = "add case studies",
     .handle = rpc_case_study_add,
     .owner = owner_of_case_study,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = 128 * KB},
    {.name = "CaseStudyList",
     .does = "read case studies",
     .handle = rpc_case_study_list,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "RiskAdd",
     .does = "add risks",
     .handle = rpc_risk_add,
     .owner = owner_of_new_risk,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = 16 * KB},
    {.name = "RiskUpdate",
     .does = "reassess risks",
     .handle = rpc_risk_update,
     .owner = owner_of_risk,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = 16 * KB},
    {.name = "RiskList",
     .does = "read the risk register",
     .handle = rpc_risk_list,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "ResourceSet",
     .does = "set budgets and spend",
     .handle = rpc_resource_set,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "ResourceList",
     .does = "read budgets and spend",
     .handle = rpc_resource_list,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "AuditList",
     .does = "read the audit trail",
     .handle = rpc_audit_list,
     .roles = RPC_ADMIN,
     .max_request = KB},
    {.name = "AuditVerify",
     .does = "verify the audit trail",
     .handle = rpc_audit_verify,
     .roles = RPC_ADMIN,
     .max_request = 64},
    /* reports: everything computed on the server, any role reads them */
    {.name = "ReportScorecard",
     .does = "run the scorecard",
     .handle = rpc_report_scorecard,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_SNAPSHOT_CACHE,
     .max_request = 4 * KB},
    {.name = "ReportExceptions",
     .does = "run the exception report",
     .handle = rpc_report_exceptions,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_SNAPSHOT_CACHE,
     .max_request = 4 * KB},
    {.name = "ReportCompleteness",
     .does = "run the completeness report",
     .handle = rpc_report_completeness,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_SNAPSHOT_CACHE,
     .max_request = 4 * KB},
    {.name = "ReportTrend",
     .does = "run trend reports",
     .handle = rpc_report_trend,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_SNAPSHOT_CACHE,
     .max_request = 4 * KB},
    {.name = "ReportLocality",
     .does = "run locality reports",
     .handle = rpc_report_locality,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_SNAPSHOT_CACHE,
     .max_request = 4 * KB},
    {.name = "ReportPack",
     .does = "run committee packs",
     .handle = rpc_report_pack,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_SNAPSHOT_CACHE,
     .max_request = 4 * KB},
    /* committee actions: admins record them, the owning directorate reports
     * progress on its own, everyone reads them */
    {.name = "ActionAdd",
     .does = "record committee actions",
     .handle = rpc_action_add,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = 8 * KB},
    {.name = "ActionUpdate",
     .does = "update committee actions",
     .handle = rpc_action_update,
     .owner = owner_of_action,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = 8 * KB},
    {.name = "ActionEdit",
     .does = "correct committee actions",
     .handle = rpc_action_edit,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = 8 * KB},
    {.name = "ActionList",
     .does = "read committee actions",
     .handle = rpc_action_list,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    /* intervention plans: the intervention's directorate writes them */
    {.name = "InterventionOwnerSet",
     .does = "name who manages an intervention",
     .handle = rpc_intervention_owner_set,
     .owner = owner_of_intervention_owner,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "MilestoneAdd",
     .does = "add milestones to interventions",
     .handle = rpc_milestone_add,
     .owner = owner_of_milestone_add,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "MilestoneComplete",
     .does = "complete intervention milestones",
     .handle = rpc_milestone_complete,
     .owner = owner_of_milestone_complete,
     .roles = RPC_ADMIN | RPC_DIRECTORATE,
     .flags = RPC_WRITE,
     .max_request = KB},
    {.name = "InterventionPlans",
     .does = "read intervention plans",
     .handle = rpc_intervention_plans,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "ReportRisks",
     .does = "run the risk report",
     .handle = rpc_report_risks,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_SNAPSHOT_CACHE,
     .max_request = 4 * KB},
    {.name = "ComparatorImport",
     .does = "load comparator figures",
     .handle = rpc_comparator_import,
     .roles = RPC_ADMIN,
     .flags = RPC_WRITE,
     .max_request = COMPARATOR_IMPORT_MAX},
    {.name = "ComparatorList",
     .does = "list comparator sets",
     .handle = rpc_comparator_list,
     .roles = RPC_ANY_ROLE,
     .max_request = KB},
    {.name = "ReportCompare",
     .does = "run comparison reports",
     .handle = rpc_report_compare,
     .roles = RPC_ANY_ROLE,
     .flags = RPC_SNAPSHOT_CACHE,
     .max_request = 4 * KB},
};

#define N_METHODS (sizeof(methods) / sizeof(methods[0]))
#define MAX_INDEX 256

static const struct rpc_method *by_index[MAX_INDEX];
static unsigned n_index;

int rpc_table_init(void)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	int rc = 0;

	if (svc->n_methods > MAX_INDEX)
		return PMIF_ESTATE;
	memset(by_index, 0, sizeof(by_index));
	for (unsigned i = 0; i < svc->n_methods; i++) {
		for (size_t k = 0; k < N_METHODS; k++)
			if (strcmp(methods[k].name, svc->methods[i].name) == 0)
				by_index[i] = &methods[k];
		if (by_index[i] == NULL) {
			log_error("method %s has no entry in the rpc table", svc->methods[i].name);
			rc = PMIF_ESTATE;
		}
	}
	for (size_t k = 0; k < N_METHODS; k++) {
		if (protobuf_c_service_descriptor_get_method_by_name(svc, methods[k].name) ==
		    NULL) {
			log_error("rpc table entry %s names no method of the service",
			          methods[k].name);
			rc = PMIF_ESTATE;
		}
	}
	n_index = svc->n_methods;
	return rc;
}

const struct rpc_method *rpc_method_at(unsigned index)
{
	return index < n_index ? by_index[index] : NULL;
}

int rpc_fail(struct rpc_ctx *ctx, Pmif__Code code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = op_vfail(&ctx->op, code, fmt, ap);
	va_end(ap);
	return rc;
}

void rpc_warn(struct rpc_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	op_vwarn(&ctx->op, fmt, ap);
	va_end(ap);
}
