/*
 * keys.c - create and load the server's static key (see keys.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "error.h"
#include "keys.h"
#include "log.h"
#include "noise.h"
#include "pbjson.h"

#define KEY_TAG "pmif-server-key-v1 "

static int key_path(const char *dir, char *buf, size_t cap)
{
	return snprintf(buf, cap, "%s/server.key", dir) < (int)cap ? 0 : PMIF_EINVAL;
}

int keys_create(const char *dir, uint8_t pub[32])
{
	char path[4096], line[128];
	uint8_t priv[32];
	int fd, rc;
	size_t len;

	if ((rc = key_path(dir, path, sizeof(path))) != 0)
		return rc;
	rc = pmif_noise_keypair_generate(priv, pub);
	if (rc != 0)
		return rc;
	memcpy(line, KEY_TAG, sizeof(KEY_TAG) - 1);
	pmif_hex(priv, 32, line + sizeof(KEY_TAG) - 1);
	len = strlen(line);
	line[len++] = '\n';
	OPENSSL_cleanse(priv, sizeof(priv));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		OPENSSL_cleanse(line, sizeof(line));
		if (errno == EEXIST)
			return PMIF_EEXIST;
		log_error("cannot create '%s': %s", path, strerror(errno));
		return PMIF_EIO;
	}
	rc = write(fd, line, len) == (ssize_t)len && fsync(fd) == 0 ? 0 : PMIF_EIO;
	OPENSSL_cleanse(line, sizeof(line));
	close(fd);
	return rc;
}

static int unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return PMIF_EINVAL;
		out[i] = (uint8_t)v;
	}
	return 0;
}

int keys_load(const char *dir, uint8_t priv[32], uint8_t pub[32])
{
	char path[4096], line[128] = {0};
	struct stat st;
	uint8_t k[32];
	ssize_t n;
	int fd, rc;

	if ((rc = key_path(dir, path, sizeof(path))) != 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_error("cannot read the server key '%s': %s", path, strerror(errno));
		return errno == ENOENT ? PMIF_ENOTFOUND : PMIF_EIO;
	}
	if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
		log_error("the server key '%s' is readable by others: run 'chmod 600 %s'", path,
		          path);
		close(fd);
		return PMIF_EPERM;
	}
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n < (ssize_t)(sizeof(KEY_TAG) - 1 + 64) ||
	    memcmp(line, KEY_TAG, sizeof(KEY_TAG) - 1) != 0 ||
	    unhex(line + sizeof(KEY_TAG) - 1, k, 32) != 0) {
		OPENSSL_cleanse(line, sizeof(line));
		log_error("'%s' is not a pmifd server key", path);
		return PMIF_EINVAL;
	}
	OPENSSL_cleanse(line, sizeof(line));
	rc = pmif_noise_public_from_private(k, pub);
	if (rc == 0)
		memcpy(priv, k, 32);
	OPENSSL_cleanse(k, sizeof(k));
	return rc;
}
