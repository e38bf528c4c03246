// Declarations only: the definition is in the libFuzzer runtime that -sanitize=fuzzer links.
#include "CFuzzerDriver.h"
