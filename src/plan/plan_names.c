/*
 * plan_names.c - the names of the model's enumerations, both ways.
 */
#include "plan.h"

#include <string.h>

#define NAMES(fn_name, fn_parse, type, ...)                                    \
	static const char *const fn_name##_table[] = {__VA_ARGS__};            \
	const char *fn_name(type v)                                            \
	{                                                                      \
		size_t n = sizeof fn_name##_table / sizeof *fn_name##_table;   \
		return (size_t)v < n ? fn_name##_table[v] : "?";               \
	}                                                                      \
	bool fn_parse(const char *s, type *out)                                \
	{                                                                      \
		size_t n = sizeof fn_name##_table / sizeof *fn_name##_table;   \
		for (size_t i = 0; s && i < n; i++) {                          \
			if (strcmp(s, fn_name##_table[i]) == 0) {              \
				*out = (type)i;                                \
				return true;                                   \
			}                                                      \
		}                                                              \
		return false;                                                  \
	}

NAMES(rbm_unit_name, rbm_unit_parse, enum rbm_unit, "number", "people", "percent", "currency",
      "yesno", "text")
NAMES(rbm_aggregation_name, rbm_aggregation_parse, enum rbm_aggregation, "sum", "max", "min",
      "mean", "latest", "count_units")
NAMES(rbm_count_of_name, rbm_count_of_parse, enum rbm_count_of, "none", "country", "city")
NAMES(rbm_place_combine_name, rbm_place_combine_parse, enum rbm_place_combine, "sum", "max")
NAMES(rbm_direction_name, rbm_direction_parse, enum rbm_direction, "increase", "decrease")
NAMES(rbm_office_kind_name, rbm_office_kind_parse, enum rbm_office_kind, "headquarters",
      "hq_unit", "regional", "liaison", "country")

const char *rbm_tag_kind_name(enum rbm_tag_kind k)
{
	switch (k) {
	case RBM_TAG_PROGRAMME: return "programme";
	case RBM_TAG_THEME: return "theme";
	case RBM_TAG_DRIVER: return "driver";
	case RBM_TAG_ENABLER: return "enabler";
	}
	return "?";
}
