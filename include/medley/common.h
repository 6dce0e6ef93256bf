/*
 * common.h - compiler attributes and ARRAY_SIZE, nothing else.
 *
 * This header deliberately holds no types and no declarations of other
 * modules: there is no umbrella header in medley. Include the header of the
 * module you use.
 */
#ifndef MEDLEY_COMMON_H
#define MEDLEY_COMMON_H

/* The result of the function must be checked (every fallible call). */
#define MUST_CHECK __attribute__((warn_unused_result))

/* printf-style argument checking: fmt is argument f, varargs start at a. */
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* Function never returns (abort paths). */
#define NORETURN __attribute__((noreturn))

/* Number of elements of a true array (not a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
