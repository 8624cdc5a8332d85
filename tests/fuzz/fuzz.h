/* fuzz.h - what the libFuzzer targets share: require(), a check that
 * stays on in every build and aborts with the condition that failed, so
 * libFuzzer keeps the input as a crash. */
#ifndef POOLTOP_FUZZ_H
#define POOLTOP_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#define require(condition) do { \
		if (!(condition)) { \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #condition); \
			abort(); \
		} \
	} while (0)

#endif
