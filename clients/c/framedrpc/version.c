#include "framedrpc.h"

const char *frpc_version(void) {
    return FRPC_VERSION;
}
