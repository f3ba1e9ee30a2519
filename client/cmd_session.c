/*
 * cmd_session.c - login, logout, whoami, passwd, health.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "commands.h"

static int run_login(struct cli_global *g, struct cli_args *a)
{
	Pmif__LoginRequest in = PMIF__LOGIN_REQUEST__INIT;
	Pmif__LoginReply *out = NULL;
	struct call_result res;
	struct conn c;
	char password[1100], buf[64];
	int rc;

	rc = cli_read_password(cli_flag(a, "password-stdin"), "Password: ", password,
	                       sizeof(password));
	if (rc != 0)
		return rc;
	in.user = a->pos[0];
	in.password = password;
	rc = conn_open(&c, g);
	if (rc == 0)
		rc = conn_call(&c, "Login", &in.base, (ProtobufCMessage **)&out, &res);
	OPENSSL_cleanse(password, sizeof(password));
	if (rc == 0)
		conn_set_session(&c, out);
	conn_close(&c);
	if (rc != 0 && res.exit_code == 0)
		return rc;
	rc = conn_report(g, &res);
	if (rc != 0)
		return rc;
	if (g->json) {
		/* neither the token nor the rebind secret goes to stdout */
		out->token.len = 0;
		out->rebind_secret.len = 0;
		print_json(&out->base);
	} else {
		printf("logged in as %s (%s) until %s at the latest\n", out->user->name,
		       role_text(out->user->role),
		       fmt_time(out->absolute_expiry_unix, buf, sizeof(buf)));
		if (out->must_change_password)
			printf("this is a one-time password: choose your own now with 'pmif "
			       "passwd'\n");
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static int run_logout(struct cli_global *g, struct cli_args *a)
{
	Pmif__Empty in = PMIF__EMPTY__INIT;
	ProtobufCMessage *out = NULL;
	struct call_result res;
	struct conn c;
	int rc;

	(void)a;
	rc = conn_open(&c, g);
	if (rc != 0) {
		conn_close(&c);
		return rc;
	}
	if (c.ch.token_len == 0) {
		conn_close(&c);
		return cli_error(EXIT_UNAUTH, "you are not logged in to %s", g->server);
	}
	rc = conn_call(&c, "Logout", &in.base, &out, &res);
	/* forget the token whatever the server said: it is no use any more */
	conn_clear_session(&c);
	conn_close(&c);
	if (out)
		protobuf_c_message_free_unpacked(out, NULL);
	rc = conn_report(g, &res);
	if (rc == 0 && !g->json)
		printf("logged out\n");
	else if (rc == 0)
		printf("{}\n");
	return rc;
}

static int run_whoami(struct cli_global *g, struct cli_args *a)
{
	Pmif__Empty in = PMIF__EMPTY__INIT;
	Pmif__WhoAmIReply *out = NULL;
	char b1[64], b2[64];
	int rc;

	(void)a;
	rc = call_once(g, "WhoAmI", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		printf("%s (%s)", out->user->name, role_text(out->user->role));
		for (size_t i = 0; i < out->user->n_directorates; i++)
			printf("%s%s", i ? ", " : " for ", out->user->directorates[i]);
		printf("\nsession started %s, ends %s at the latest\n",
		       fmt_time(out->session_started_unix, b1, sizeof(b1)),
		       fmt_time(out->session_expires_unix, b2, sizeof(b2)));
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static int run_passwd(struct cli_global *g, struct cli_args *a)
{
	Pmif__PasswordChangeRequest in = PMIF__PASSWORD_CHANGE_REQUEST__INIT;
	ProtobufCMessage *out = NULL;
	char old[1100], new1[1100], new2[1100];
	bool from_stdin = cli_flag(a, "password-stdin");
	int rc;

	if (from_stdin) {
		/* two lines: the current password, then the new one */
		if (fgets(old, sizeof(old), stdin) == NULL ||
		    fgets(new1, sizeof(new1), stdin) == NULL)
			old[0] = new1[0] = '\0';
		old[strcspn(old, "\r\n")] = '\0';
		new1[strcspn(new1, "\r\n")] = '\0';
		rc = old[0] && new1[0]
		         ? 0
		         : cli_error(EXIT_USAGE, "--password-stdin takes two lines: the current "
		                                 "password, then the new one");
	} else {
		rc = cli_read_password(false, "Current password: ", old, sizeof(old));
		if (rc == 0)
			rc = cli_read_password(false, "New password: ", new1, sizeof(new1));
	}
	if (rc == 0 && !from_stdin) {
		rc = cli_read_password(false, "New password again: ", new2, sizeof(new2));
		if (rc == 0 && strcmp(new1, new2) != 0)
			rc = cli_error(EXIT_INVALID,
			               "the two new passwords differ: nothing changed");
	}
	if (rc == 0) {
		in.old_password = old;
		in.new_password = new1;
		rc = call_once(g, "PasswordChange", &in.base, &out);
	}
	OPENSSL_cleanse(old, sizeof(old));
	OPENSSL_cleanse(new1, sizeof(new1));
	OPENSSL_cleanse(new2, sizeof(new2));
	if (rc != 0)
		return rc;
	protobuf_c_message_free_unpacked(out, NULL);
	if (g->json)
		printf("{}\n");
	else
		printf("password changed; every session has ended: log in again with the new "
		       "password\n");
	return 0;
}

static int run_health(struct cli_global *g, struct cli_args *a)
{
	Pmif__Empty in = PMIF__EMPTY__INIT;
	Pmif__HealthReply *out = NULL;
	int rc;

	(void)a;
	rc = call_once(g, "Health", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json)
		print_json(&out->base);
	else
		printf("pmifd %s at %s: up %llu s, %u workers, schema %u\n", out->version,
		       g->server, (unsigned long long)out->uptime_seconds, out->workers,
		       out->schema_version);
	if (!g->json) {
		if (out->writes_refused_since) {
			time_t t = (time_t)out->writes_refused_since;
			struct tm tm;
			char hm[16];

			strftime(hm, sizeof(hm), "%H:%M", localtime_r(&t, &tm));
			printf("writes: refused since %s (%s)\n", hm, out->writes_refused_reason);
		} else {
			printf("writes: accepted\n");
		}
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static const struct cli_opt password_opts[] = {
    {"password-stdin", NULL, "read the password from standard input (one line)"}, {0}};
static const struct cli_opt passwd_opts[] = {
    {"password-stdin", NULL,
     "read two lines from standard input: the current password, then the new one"},
    {0}};

const struct cli_command session_commands[] = {
    {"login", "USER", "log in to the server; the session is kept for later commands", password_opts,
     1, 1, run_login},
    {"logout", NULL, "end the session", NULL, 0, 0, run_logout},
    {"whoami", NULL, "show who you are logged in as", NULL, 0, 0, run_whoami},
    {"passwd", NULL, "change your password (ends every session)", passwd_opts, 0, 0, run_passwd},
    {"health", NULL, "check that the server answers (no login needed)", NULL, 0, 0, run_health},
};
const size_t n_session_commands = sizeof(session_commands) / sizeof(session_commands[0]);
