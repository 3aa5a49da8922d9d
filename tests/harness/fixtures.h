/*
 * fixtures.h - shared test data: the bundled places, loaded once.
 */
#ifndef RBM_TEST_FIXTURES_H
#define RBM_TEST_FIXTURES_H

#include "plan/places.h"

/* rbm's bundled countries and regions (exits the test program if they fail to load). */
struct rbm_places *test_places(void);

#endif
