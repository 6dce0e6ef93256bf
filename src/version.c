/*
 * version.c - the build's version strings, injected by the Makefile.
 */
#include "medley/version.h"

#ifndef MEDLEY_VERSION
#define MEDLEY_VERSION "0.0.0-dev"
#endif
#ifndef MEDLEY_COMMIT
#define MEDLEY_COMMIT "unknown"
#endif

const char *version_string(void)
{
	return MEDLEY_VERSION;
}

const char *version_commit(void)
{
	return MEDLEY_COMMIT;
}
