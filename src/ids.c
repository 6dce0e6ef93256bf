/*
 * ids.c - names of the provider and fetch-outcome lists.
 *
 * Tables only, generated from provider_id.h and outcome.h.
 */
#include "medley/outcome.h"
#include "medley/provider_id.h"

static const char *const provider_names[] = {
#define PROVIDER_NAME_ROW(id, name) name,
	PROVIDER_LIST(PROVIDER_NAME_ROW)
#undef PROVIDER_NAME_ROW
};

static const char *const outcome_names[] = {
#define OUTCOME_NAME_ROW(id, name) name,
	FETCH_OUTCOME_LIST(OUTCOME_NAME_ROW)
#undef OUTCOME_NAME_ROW
};

const char *provider_name(enum provider_id id)
{
	return (unsigned)id < PROVIDER__COUNT ? provider_names[id] : "unknown";
}

const char *fetch_outcome_name(enum fetch_outcome o)
{
	return (unsigned)o < FETCH_OUTCOME__COUNT ? outcome_names[o] : "unknown";
}
