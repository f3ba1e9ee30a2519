/*
 * framework_view.c - framework records as text (framework_view.h).
 *
 * Driven by the protobuf descriptors, so every kind of record prints the
 * same way and a field added to the .proto shows up without code here.
 * Enum values print as --json shows them: the .proto name in lowercase.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "framework_view.h"
#include "pbjson.h"

const ProtobufCMessage *fw_view_record(const Pmif__FrameworkRecord *r)
{
	const ProtobufCFieldDescriptor *f;

	if (r == NULL || r->record_case == PMIF__FRAMEWORK_RECORD__RECORD__NOT_SET)
		return NULL;
	f = protobuf_c_message_descriptor_get_field(&pmif__framework_record__descriptor,
	                                            (unsigned)r->record_case);
	return f ? *(const ProtobufCMessage *const *)((const char *)r + f->offset) : NULL;
}

const char *fw_view_kind_name(Pmif__FrameworkRecord__Kind kind)
{
	static char buf[32];
	const char *name = pmif_pb_enum_name(&pmif__framework_record__kind__descriptor, (int)kind);
	size_t i;

	if (name == NULL)
		return "record";
	for (i = 0; name[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[i] = '\0';
	return buf;
}

#define AT(m, f)    ((const char *)(m) + (f)->offset)
#define COUNT(m, f) (*(const size_t *)((const char *)(m) + (f)->quantifier_offset))

static void print_enum(const ProtobufCFieldDescriptor *f, int v, FILE *out)
{
	const char *name = pmif_pb_enum_name(f->descriptor, v);

	if (name == NULL || strstr(name, "UNSET")) {
		fputs("-", out);
		return;
	}
	for (; *name; name++)
		fputc(tolower((unsigned char)*name), out);
}

/* One value of a field of the types framework records use. */
static void print_value(const ProtobufCFieldDescriptor *f, const void *p, FILE *out)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(char *const *)p;
		fputs(s && s[0] ? s : "-", out);
		break;
	}
	case PROTOBUF_C_TYPE_DOUBLE: fprintf(out, "%.15g", *(const double *)p); break;
	case PROTOBUF_C_TYPE_UINT32: fprintf(out, "%u", *(const uint32_t *)p); break;
	case PROTOBUF_C_TYPE_UINT64:
		fprintf(out, "%llu", (unsigned long long)*(const uint64_t *)p);
		break;
	case PROTOBUF_C_TYPE_BOOL: fputs(*(const protobuf_c_boolean *)p ? "yes" : "no", out); break;
	case PROTOBUF_C_TYPE_ENUM: print_enum(f, *(const int *)p, out); break;
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *m = *(const ProtobufCMessage *const *)p;
		if (m == NULL) {
			fputs("none", out);
		} else if (m->descriptor == &pmif__baseline__descriptor) {
			const Pmif__Baseline *b = (const Pmif__Baseline *)m;
			fprintf(out, "%.15g in %s", b->value, b->period);
		} else if (m->descriptor == &pmif__target__descriptor) {
			const Pmif__Target *t = (const Pmif__Target *)m;
			fprintf(out, "%s: %.15g", t->year, t->value);
		} else {
			fputs("...", out);
		}
		break;
	}
	default: fputs("?", out); break;
	}
}

static size_t value_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_DOUBLE: return sizeof(double);
	case PROTOBUF_C_TYPE_UINT64: return sizeof(uint64_t);
	case PROTOBUF_C_TYPE_BOOL: return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_ENUM: return sizeof(int);
	case PROTOBUF_C_TYPE_STRING: return sizeof(char *);
	case PROTOBUF_C_TYPE_MESSAGE: return sizeof(ProtobufCMessage *);
	default: return 4;
	}
}

/* A field's whole value: a repeated one joined by @p sep. */
static void print_field(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                        const char *sep, FILE *out)
{
	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		size_t n = COUNT(m, f), sz = value_size(f);
		const char *arr = *(const char *const *)AT(m, f);

		if (n == 0)
			fputs("-", out);
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputs(sep, out);
			print_value(f, arr + i * sz, out);
		}
		return;
	}
	print_value(f, AT(m, f), out);
}

void fw_view_print(const ProtobufCMessage *rec)
{
	const ProtobufCMessageDescriptor *d = rec->descriptor;

	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		char label[40];
		size_t k;

		if (strcmp(f->name, "position") == 0)
			continue;
		if (strcmp(f->name, "retired") == 0) {
			printf("%-13s %s\n", "status:",
			       *(const protobuf_c_boolean *)AT(rec, f) ? "retired" : "active");
			continue;
		}
		for (k = 0; f->name[k] && k < sizeof(label) - 2; k++)
			label[k] = f->name[k] == '_' ? ' ' : f->name[k];
		label[k++] = ':';
		label[k] = '\0';
		printf("%-13s ", label);
		print_field(rec, f, f->type == PROTOBUF_C_TYPE_MESSAGE ? "\n              " : ", ",
		            stdout);
		putchar('\n');
	}
}

/* The columns of each kind's table; the last one takes what is left. */
static const char *const *columns(Pmif__FrameworkRecord__Kind kind)
{
	static const char *const directorate[] = {"id", "name", NULL};
	static const char *const committee[] = {"id", "kind", "objectives", "name", NULL};
	static const char *const objective[] = {"id", "kind", "title", NULL};
	static const char *const outcome[] = {"id", "objective", "text", NULL};
	static const char *const intervention[] = {"id", "objective", "directorate", "title", NULL};
	static const char *const measure[] = {"id",        "objective",   "unit",  "polarity",
	                                      "frequency", "directorate", "title", NULL};

	switch (kind) {
	case PMIF__FRAMEWORK_RECORD__KIND__COMMITTEE: return committee;
	case PMIF__FRAMEWORK_RECORD__KIND__OBJECTIVE: return objective;
	case PMIF__FRAMEWORK_RECORD__KIND__OUTCOME: return outcome;
	case PMIF__FRAMEWORK_RECORD__KIND__INTERVENTION: return intervention;
	case PMIF__FRAMEWORK_RECORD__KIND__MEASURE: return measure;
	default: return directorate; /* and locality */
	}
}

/* A cell's text into @p buf. */
static void cell(const ProtobufCMessage *m, const char *col, char *buf, size_t cap)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor, col);
	FILE *mem = fmemopen(buf, cap, "w");

	buf[0] = '\0';
	if (mem == NULL || f == NULL) {
		if (mem)
			fclose(mem);
		return;
	}
	print_field(m, f, ",", mem);
	if (strcmp(col, "id") == 0 &&
	    *(const protobuf_c_boolean *)AT(
	        m, protobuf_c_message_descriptor_get_field_by_name(m->descriptor, "retired")))
		fputs(" (retired)", mem);
	fclose(mem);
	buf[cap - 1] = '\0';
}

void fw_view_table(Pmif__FrameworkRecord__Kind kind, const Pmif__FrameworkListReply *r)
{
	const char *const *cols = columns(kind);
	size_t width[8] = {0}, n = 0;
	char buf[1024];

	while (cols[n])
		n++;
	for (size_t c = 0; c < n; c++)
		width[c] = strlen(cols[c]);
	for (size_t i = 0; i < r->n_records; i++)
		for (size_t c = 0; c + 1 < n; c++) {
			const ProtobufCMessage *m = fw_view_record(r->records[i]);
			if (m == NULL)
				continue;
			cell(m, cols[c], buf, sizeof(buf));
			if (strlen(buf) > width[c])
				width[c] = strlen(buf) > 40 ? 40 : strlen(buf);
		}
	for (size_t c = 0; c < n; c++) {
		for (const char *p = cols[c]; *p; p++)
			putchar(toupper((unsigned char)*p));
		printf("%*s", c + 1 < n ? (int)(width[c] - strlen(cols[c]) + 2) : 0, "");
	}
	putchar('\n');
	for (size_t i = 0; i < r->n_records; i++) {
		const ProtobufCMessage *m = fw_view_record(r->records[i]);
		if (m == NULL)
			continue;
		for (size_t c = 0; c < n; c++) {
			cell(m, cols[c], buf, sizeof(buf));
			if (c + 1 < n)
				printf("%-*s  ", (int)width[c], buf);
			else
				printf("%s\n", buf);
		}
	}
}
