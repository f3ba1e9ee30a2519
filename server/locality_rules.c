/*
 * locality_rules.c - the keying check of localities against the borough,
 * and the words of a locality exception (see locality_rules.h).  Pure:
 * numbers in, sentences out.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "locality_rules.h"

char *locality_number_text(char *buf, size_t cap, double v, int decimals, const char *unit)
{
	char digits[64], grouped[96];
	const char *p, *point;
	size_t n = 0, lead;

	if (cap == 0)
		return buf;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	if (!isfinite(v) || fabs(v) >= 1e15) {
		snprintf(buf, cap, "%g", v);
		return buf;
	}
	snprintf(digits, sizeof(digits), "%.*f", decimals, v);
	if (strcmp(digits, "-0") == 0 ||
	    (digits[0] == '-' && strspn(digits + 1, "0.") == strlen(digits + 1)))
		memmove(digits, digits + 1, strlen(digits));
	p = digits;
	if (*p == '-')
		grouped[n++] = *p++;
	point = strchr(p, '.');
	lead = point ? (size_t)(point - p) : strlen(p);
	for (size_t i = 0; i < lead; i++) {
		if (i > 0 && (lead - i) % 3 == 0)
			grouped[n++] = ',';
		grouped[n++] = p[i];
	}
	snprintf(grouped + n, sizeof(grouped) - n, "%s", point ? point : "");
	if (unit == NULL || unit[0] == '\0')
		snprintf(buf, cap, "%s", grouped);
	else if (strcmp(unit, "£") == 0)
		snprintf(buf, cap, "%s%s", grouped[0] == '-' ? "-£" : "£",
		         grouped[0] == '-' ? grouped + 1 : grouped);
	else if (strcmp(unit, "%") == 0)
		snprintf(buf, cap, "%s%%", grouped);
	else
		snprintf(buf, cap, "%s %s", grouped, unit);
	return buf;
}

char *locality_short_name(char *buf, size_t cap, const char *name)
{
	const char *cut;
	int n;

	if (cap == 0)
		return buf;
	if (name == NULL)
		name = "";
	cut = strstr(name, " (");
	n = cut && cut > name ? (int)(cut - name) : (int)strlen(name);
	snprintf(buf, cap, "%.*s", n, name);
	return buf;
}

/* A whole number of people or events: no decimals unless it has some. */
static char *figure(char *buf, size_t cap, double v)
{
	return locality_number_text(buf, cap, v, fabs(v - round(v)) < 1e-9 ? 0 : 2, NULL);
}

static bool finite_part(const struct locality_part *p)
{
	return (!p->has_value || isfinite(p->value)) &&
	       (!p->has_fraction || (isfinite(p->numerator) && isfinite(p->denominator)));
}

/* Append printf text to @p buf (holding *len bytes of @p cap), cut at the end. */
static void add(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

enum figure_kind { FIG_NUMERATOR, FIG_DENOMINATOR, FIG_VALUE };

static double figure_of(const struct locality_part *p, enum figure_kind k)
{
	return k == FIG_NUMERATOR ? p->numerator : k == FIG_DENOMINATOR ? p->denominator : p->value;
}

/* One warning: the sum of the parts' figure @p k against the borough's. */
static void compare(const struct locality_sum_input *in, enum figure_kind k,
                    struct locality_sum_result *out)
{
	static const char *const word[] = {"numerator", "denominator", "count"};
	static const char *const words[] = {"numerators", "denominators", "counts"};
	double sum = 0, whole = figure_of(&in->borough, k);
	char *w, a[64], b[64];
	size_t len = 0;

	for (size_t i = 0; i < in->n_parts; i++)
		sum += figure_of(&in->parts[i], k);
	if (fabs(sum - whole) <= LOCALITY_SUM_SLACK || out->n_warnings >= LOCALITY_MAX_WARNINGS)
		return;
	w = out->warnings[out->n_warnings++];
	if (in->borough_entered)
		add(w, LOCALITY_MSG_LEN, &len,
		    "the borough's %s for %s in %s is %s, but the localities' "
		    "add up to %s (",
		    word[k], in->measure, in->period, figure(a, sizeof(a), whole),
		    figure(b, sizeof(b), sum));
	else
		add(w, LOCALITY_MSG_LEN, &len,
		    "with this value the localities' %s for %s in %s add up "
		    "to %s (",
		    words[k], in->measure, in->period, figure(b, sizeof(b), sum));
	for (size_t i = 0; i < in->n_parts; i++)
		add(w, LOCALITY_MSG_LEN, &len, "%s%s %s", i ? ", " : "",
		    in->parts[i].name ? in->parts[i].name : "a locality",
		    figure(a, sizeof(a), figure_of(&in->parts[i], k)));
	if (in->borough_entered)
		add(w, LOCALITY_MSG_LEN, &len,
		    "): check the borough and locality %s were keyed "
		    "correctly",
		    words[k]);
	else
		add(w, LOCALITY_MSG_LEN, &len,
		    "), but the borough's is %s: check the borough and "
		    "locality %s were keyed correctly",
		    figure(a, sizeof(a), whole), words[k]);
}

int locality_sum_check(const struct locality_sum_input *in, struct locality_sum_result *out)
{
	bool fractions, values = true;

	if (out == NULL)
		return PMIF_EINVAL;
	out->n_warnings = 0;
	if (in == NULL || (in->n_parts && in->parts == NULL) || !finite_part(&in->borough))
		return PMIF_EINVAL;
	for (size_t i = 0; i < in->n_parts; i++)
		if (!finite_part(&in->parts[i]))
			return PMIF_EINVAL;
	if (!in->borough.has_value || in->n_parts == 0)
		return 0;
	for (size_t i = 0; i < in->n_parts; i++)
		values = values && in->parts[i].has_value;
	if (!values)
		return 0; /* not every locality has its figure yet */
	fractions = in->borough.has_fraction;
	for (size_t i = 0; i < in->n_parts; i++)
		fractions = fractions && in->parts[i].has_fraction;
	if (fractions) {
		compare(in, FIG_NUMERATOR, out);
		compare(in, FIG_DENOMINATOR, out);
	}
	if (in->count)
		compare(in, FIG_VALUE, out);
	return 0;
}

int locality_red_reason(const struct locality_exception *e, char *buf, size_t cap)
{
	char v[64];

	if (e == NULL || buf == NULL || cap == 0 || !e->red)
		return PMIF_EINVAL;
	locality_number_text(v, sizeof(v), e->value, e->decimals, e->unit);
	if (e->rag_rule && e->rag_rule[0])
		snprintf(buf, cap, "red in %s: %s (%s)", e->locality ? e->locality : "a locality",
		         v, e->rag_rule);
	else
		snprintf(buf, cap, "red in %s: %s", e->locality ? e->locality : "a locality", v);
	return 0;
}

int locality_worse_reason(const struct locality_exception *e, char *buf, size_t cap)
{
	char v[64], lo[64], hi[64], b[64];

	if (e == NULL || buf == NULL || cap == 0 || !e->worse)
		return PMIF_EINVAL;
	locality_number_text(v, sizeof(v), e->value, e->decimals, e->unit);
	/* "79.02% to 82.86%", but "422.66 to 462.58 per 1,000" */
	locality_number_text(lo, sizeof(lo), e->lower, e->decimals + 1,
	                     e->unit && (!strcmp(e->unit, "%") || !strcmp(e->unit, "£")) ? e->unit
	                                                                                 : NULL);
	locality_number_text(hi, sizeof(hi), e->upper, e->decimals + 1, e->unit);
	locality_number_text(b, sizeof(b), e->borough, e->decimals, e->unit);
	snprintf(buf, cap,
	         "significantly worse than the borough in %s: %s (95%% interval %s to %s%s%s) "
	         "against the borough's %s",
	         e->locality ? e->locality : "a locality", v, lo, hi,
	         e->method && e->method[0] ? ", " : "", e->method ? e->method : "", b);
	return 0;
}
