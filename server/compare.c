/*
 * compare.c - rank and quartile among similar councils (see compare.h).
 */
#include <math.h>
#include <stdio.h>

#include "compare.h"
#include "error.h"

static bool polarity_ok(enum analytics_polarity pol)
{
	return pol == ANALYTICS_POLARITY_NONE || pol == ANALYTICS_POLARITY_HIGHER_BETTER ||
	       pol == ANALYTICS_POLARITY_LOWER_BETTER;
}

/* Is @p a strictly better than @p b (beyond the half unit @p h)? */
static bool better(double a, double b, enum analytics_polarity pol, double h)
{
	if (pol == ANALYTICS_POLARITY_LOWER_BETTER)
		return b - a >= h;
	return a - b >= h; /* higher is better, and "higher" for no polarity */
}

int compare_ranks(const double *v, size_t n, enum analytics_polarity pol, int decimals,
                  uint32_t *ranks)
{
	double h;

	if ((n > 0 && (v == NULL || ranks == NULL)) || !polarity_ok(pol) || decimals < 0 ||
	    decimals > ANALYTICS_MAX_DECIMALS || n > UINT32_MAX)
		return PMIF_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return PMIF_EINVAL;
	h = 0.5 * pow(10.0, -decimals);
	/* a set is tens of councils: counting those better is clearer than a sort */
	for (size_t i = 0; i < n; i++) {
		uint32_t r = 1;

		for (size_t j = 0; j < n; j++)
			if (j != i && better(v[j], v[i], pol, h))
				r++;
		ranks[i] = r;
	}
	return 0;
}

uint32_t compare_quartile(uint32_t rank, uint32_t of)
{
	if (rank == 0 || of == 0 || rank > of)
		return 0;
	return (uint32_t)((4ull * rank + of - 1) / of);
}

int compare_position(double ours, const double *others, size_t n, enum analytics_polarity pol,
                     int decimals, struct compare_result *out)
{
	struct compare_result r = {0};
	uint32_t rank = 0;

	if (out == NULL || !isfinite(ours))
		return PMIF_EINVAL;
	/* everything is checked, whether or not a rank is given */
	if ((n > 0 && others == NULL) || !polarity_ok(pol) || decimals < 0 ||
	    decimals > ANALYTICS_MAX_DECIMALS || n >= UINT32_MAX)
		return PMIF_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(others[i]))
			return PMIF_EINVAL;
	r.of = (uint32_t)n + 1;
	if (n < COMPARE_MIN_OTHERS) {
		r.status = COMPARE_TOO_FEW;
		*out = r;
		return 0;
	}
	{
		double h = 0.5 * pow(10.0, -decimals);

		rank = 1;
		for (size_t i = 0; i < n; i++)
			if (better(others[i], ours, pol, h))
				rank++;
	}
	r.rank = rank;
	r.quartile = compare_quartile(rank, r.of);
	r.status = pol == ANALYTICS_POLARITY_NONE ? COMPARE_NO_POLARITY : COMPARE_RANKED;
	*out = r;
	return 0;
}

char *compare_ordinal(char *buf, size_t cap, uint32_t n)
{
	const char *suffix = "th";

	if (n % 100 < 11 || n % 100 > 13) {
		if (n % 10 == 1)
			suffix = "st";
		else if (n % 10 == 2)
			suffix = "nd";
		else if (n % 10 == 3)
			suffix = "rd";
	}
	snprintf(buf, cap, "%u%s", n, suffix);
	return buf;
}

const char *compare_quartile_word(uint32_t quartile, enum analytics_polarity pol)
{
	static const char *const judged[] = {"", "top quartile", "second quartile",
	                                     "third quartile", "bottom quartile"};
	static const char *const by_value[] = {"", "highest quartile", "second highest quartile",
	                                       "second lowest quartile", "lowest quartile"};

	if (quartile > 4)
		return "";
	return pol == ANALYTICS_POLARITY_NONE ? by_value[quartile] : judged[quartile];
}

int compare_label(char *buf, size_t cap, const struct compare_result *r,
                  enum analytics_polarity pol)
{
	char ord[16];

	if (buf == NULL || r == NULL || cap == 0)
		return PMIF_EINVAL;
	if (r->status == COMPARE_TOO_FEW || r->rank == 0) {
		snprintf(buf, cap,
		         "not ranked: only %u other council%s to compare with (at least %d are "
		         "needed)",
		         r->of ? r->of - 1 : 0, r->of == 2 ? "" : "s", COMPARE_MIN_OTHERS);
		return 0;
	}
	compare_ordinal(ord, sizeof(ord), r->rank);
	if (pol == ANALYTICS_POLARITY_NONE)
		snprintf(buf, cap,
		         "%s highest of %u similar councils, %s (no better or worse: a context "
		         "measure)",
		         ord, r->of, compare_quartile_word(r->quartile, pol));
	else
		snprintf(buf, cap, "%s of %u similar councils, %s (%s is better)", ord, r->of,
		         compare_quartile_word(r->quartile, pol),
		         pol == ANALYTICS_POLARITY_LOWER_BETTER ? "lower" : "higher");
	return 0;
}

int compare_short_label(char *buf, size_t cap, const struct compare_result *r)
{
	if (buf == NULL || r == NULL || cap == 0)
		return PMIF_EINVAL;
	if (r->status == COMPARE_TOO_FEW || r->rank == 0)
		snprintf(buf, cap, "too few");
	else if (r->status == COMPARE_NO_POLARITY)
		snprintf(buf, cap, "%u/%u", r->rank, r->of);
	else
		snprintf(buf, cap, "%u/%u Q%u", r->rank, r->of, r->quartile);
	return 0;
}
