/*
 * cmd_admin_user.c - 'pmif admin user ...': add, list, show, disable,
 * enable, reset-password, set-role.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "commands.h"
#include "words.h"

static void print_user(const Pmif__UserInfo *u)
{
	char b1[64], b2[64];

	printf("user:        %s\n", u->name);
	printf("role:        %s\n", role_text(u->role));
	if (u->n_directorates) {
		printf("directorates:");
		for (size_t i = 0; i < u->n_directorates; i++)
			printf(" %s", u->directorates[i]);
		printf("\n");
	}
	printf("status:      %s%s\n", u->disabled ? "disabled" : "active",
	       u->must_change_password ? " (must change password)" : "");
	printf("created:     %s\n", fmt_time(u->created_unix, b1, sizeof(b1)));
	printf("last login:  %s\n", fmt_time(u->last_login_unix, b2, sizeof(b2)));
}

/* Role and directorates from --role/--directorate; exit code on error. */
static int role_args(struct cli_args *a, Pmif__Role *role, char ***dirs, size_t *n)
{
	const char *r = cli_get(a, "role");

	*role = pmif_role_parse(r ? r : "");
	if (*role == PMIF__ROLE__ROLE_NONE)
		return cli_error(EXIT_USAGE,
		                 "--role must be admin, directorate or member, not '%s'",
		                 r ? r : "");
	*dirs = (char **)cli_all(a, "directorate", n);
	return 0;
}

static int password_arg(struct cli_args *a, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (!cli_flag(a, "password-stdin"))
		return 0; /* the server makes a one-time password */
	return cli_read_password(true, "", buf, cap);
}

static int print_password_reply(struct cli_global *g, Pmif__UserPasswordReply *out,
                                const char *what)
{
	if (g->json) {
		print_json(&out->base);
	} else {
		printf("%s %s (%s)\n", what, out->user->name, role_text(out->user->role));
		if (out->one_time_password[0])
			printf("one-time password: %s\n(give it to %s privately; they choose their "
			       "own "
			       "with 'pmif passwd' after logging in)\n",
			       out->one_time_password, out->user->name);
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static int run_add(struct cli_global *g, struct cli_args *a)
{
	Pmif__UserAddRequest in = PMIF__USER_ADD_REQUEST__INIT;
	Pmif__UserPasswordReply *out = NULL;
	char password[1100];
	int rc;

	in.name = a->pos[0];
	rc = role_args(a, &in.role, &in.directorates, &in.n_directorates);
	if (rc == 0)
		rc = password_arg(a, password, sizeof(password));
	if (rc != 0)
		return rc;
	in.password = password;
	rc = call_once(g, "UserAdd", &in.base, (ProtobufCMessage **)&out);
	OPENSSL_cleanse(password, sizeof(password));
	return rc ? rc : print_password_reply(g, out, "added");
}

static int run_list(struct cli_global *g, struct cli_args *a)
{
	Pmif__Empty in = PMIF__EMPTY__INIT;
	Pmif__UserListReply *out = NULL;
	char buf[64];
	int rc;

	(void)a;
	rc = call_once(g, "UserList", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		printf("%-20s %-12s %-9s %-22s %s\n", "USER", "ROLE", "STATUS", "LAST LOGIN",
		       "DIRECTORATES");
		for (size_t i = 0; i < out->n_users; i++) {
			const Pmif__UserInfo *u = out->users[i];
			printf("%-20s %-12s %-9s %-22s", u->name, role_text(u->role),
			       u->disabled ? "disabled" : "active",
			       fmt_time(u->last_login_unix, buf, sizeof(buf)));
			for (size_t k = 0; k < u->n_directorates; k++)
				printf("%s%s", k ? "," : "", u->directorates[k]);
			printf("\n");
		}
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

/* show, disable, enable: a user name in, a UserInfo out. */
static int run_named(struct cli_global *g, const char *name, const char *method, const char *what)
{
	Pmif__UserName in = PMIF__USER_NAME__INIT;
	Pmif__UserInfo *out = NULL;
	int rc;

	in.name = (char *)name;
	rc = call_once(g, method, &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json)
		print_json(&out->base);
	else if (what)
		printf("%s %s\n", what, out->name);
	else
		print_user(out);
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static int run_show(struct cli_global *g, struct cli_args *a)
{
	return run_named(g, a->pos[0], "UserShow", NULL);
}

static int run_disable(struct cli_global *g, struct cli_args *a)
{
	return run_named(g, a->pos[0], "UserDisable", "disabled (and logged out)");
}

static int run_enable(struct cli_global *g, struct cli_args *a)
{
	return run_named(g, a->pos[0], "UserEnable", "enabled");
}

static int run_reset(struct cli_global *g, struct cli_args *a)
{
	Pmif__UserResetPasswordRequest in = PMIF__USER_RESET_PASSWORD_REQUEST__INIT;
	Pmif__UserPasswordReply *out = NULL;
	char password[1100];
	int rc;

	in.name = a->pos[0];
	rc = password_arg(a, password, sizeof(password));
	if (rc != 0)
		return rc;
	in.password = password;
	rc = call_once(g, "UserResetPassword", &in.base, (ProtobufCMessage **)&out);
	OPENSSL_cleanse(password, sizeof(password));
	return rc ? rc : print_password_reply(g, out, "password reset for (sessions ended)");
}

static int run_set_role(struct cli_global *g, struct cli_args *a)
{
	Pmif__UserSetRoleRequest in = PMIF__USER_SET_ROLE_REQUEST__INIT;
	Pmif__UserInfo *out = NULL;
	int rc;

	in.name = a->pos[0];
	rc = role_args(a, &in.role, &in.directorates, &in.n_directorates);
	if (rc == 0)
		rc = call_once(g, "UserSetRole", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json)
		print_json(&out->base);
	else
		printf("%s is now %s\n", out->name, role_text(out->role));
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static const struct cli_opt add_opts[] = {
    {"role", "ROLE", "admin, directorate or member"},
    {"directorate", "ID", "a directorate the user enters data for (directorate role)", true},
    {"password-stdin", NULL,
     "read the password from standard input; without it a one-time "
     "password is made and printed"},
    {0}};
static const struct cli_opt role_opts[] = {
    {"role", "ROLE", "admin, directorate or member"},
    {"directorate", "ID", "a directorate the user enters data for (directorate role)", true},
    {0}};
static const struct cli_opt reset_opts[] = {
    {"password-stdin", NULL,
     "read the new password from standard input; without it a "
     "one-time password is made and printed"},
    {0}};

const struct cli_command admin_user_commands[] = {
    {"admin user add", "USER", "add a user", add_opts, 1, 1, run_add},
    {"admin user list", NULL, "list every user", NULL, 0, 0, run_list},
    {"admin user show", "USER", "show one user", NULL, 1, 1, run_show},
    {"admin user disable", "USER", "disable a user and end their sessions", NULL, 1, 1,
     run_disable},
    {"admin user enable", "USER", "enable a disabled user", NULL, 1, 1, run_enable},
    {"admin user reset-password", "USER", "set a new password and end the user's sessions",
     reset_opts, 1, 1, run_reset},
    {"admin user set-role", "USER", "change a user's role and directorates", role_opts, 1, 1,
     run_set_role},
};
const size_t n_admin_user_commands = sizeof(admin_user_commands) / sizeof(admin_user_commands[0]);
