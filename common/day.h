/*
 * day.h - calendar days: "YYYY-MM-DD" as a count of days since 1970-01-01
 * (proleptic Gregorian, UTC), for due dates, meetings and milestones.
 * Periods (period.h) say which financial year or quarter a day is in.
 */
#ifndef PMIF_DAY_H
#define PMIF_DAY_H

#include <stdint.h>

/* "YYYY-MM-DD" and its NUL. */
#define PMIF_DAY_STRLEN 11

/**
 * Parse @p s, exactly "YYYY-MM-DD" naming a day that exists in the years
 * 1970 to 9999, into *days.  0, or PMIF_EINVAL (*days untouched).
 */
int pmif_day_parse(const char *s, int32_t *days);

/** The year, month (1-12) and day (1-31) of @p days. */
void pmif_day_civil(int32_t days, int *y, int *m, int *d);

/** @p days as "YYYY-MM-DD". */
void pmif_day_format(int32_t days, char buf[PMIF_DAY_STRLEN]);

/** The UTC day of unix time @p t. */
int32_t pmif_day_of_unix(uint64_t t);

#endif
