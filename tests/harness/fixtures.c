/*
 * fixtures.c - shared test data.
 */
#include "fixtures.h"

#include "core/fs.h"

#include <stdio.h>
#include <stdlib.h>

static struct rbm_places *places;

static void free_places(void)
{
	rbm_places_free(places);
}

struct rbm_places *test_places(void)
{
	if (places == NULL) {
		struct rbm_diag d;
		rbm_diag_init(&d);
		if (rbm_places_load(rbm_fs_data_dir(), &places, &d) != RBM_OK) {
			rbm_diag_print(&d, stdout, "# ");
			exit(2);
		}
		rbm_diag_free(&d);
		atexit(free_places);
	}
	return places;
}
