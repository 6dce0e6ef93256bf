/*
 * version.h - what this binary is: version and git commit.
 *
 * Only src/version.c is compiled with the version macros, so a new commit
 * rebuilds one file. Both strings are static.
 */
#ifndef MEDLEY_VERSION_H
#define MEDLEY_VERSION_H

const char *version_string(void); /* "0.1.0" */
const char *version_commit(void); /* short git hash, or "unknown" */

#endif
