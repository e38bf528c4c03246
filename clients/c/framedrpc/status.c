#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *frpc_code_name(frpc_code code) {
    static const char *const names[] = {
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED",
    };
    return (unsigned)code < sizeof names / sizeof names[0] ? names[code] : "UNKNOWN";
}

const char *frpc_status_message(const frpc_status *status) {
    return status->message != NULL ? status->message : "";
}

void frpc_status_clear(frpc_status *status) {
    if (status == NULL) return;
    free(status->message);
    frpc_metadata_clear(&status->trailing_metadata);
    *status = (frpc_status)FRPC_STATUS_INIT;
}

frpc_code frpc_vfail(frpc_status *status, frpc_code code, const char *format, va_list arguments) {
    if (status == NULL) return code;
    frpc_status_clear(status);
    status->code = code;
    status->local = true;
    va_list copy;
    va_copy(copy, arguments);
    int length = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (length >= 0 && (status->message = malloc((size_t)length + 1)) != NULL) {
        vsnprintf(status->message, (size_t)length + 1, format, arguments);
    }
    return code;
}

frpc_code frpc_fail(frpc_status *status, frpc_code code, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    frpc_vfail(status, code, format, arguments);
    va_end(arguments);
    return code;
}

frpc_code frpc_status_copy(frpc_status *destination, const frpc_status *source) {
    if (destination == NULL) return source->code;
    frpc_status_clear(destination);
    destination->code = source->code;
    destination->local = source->local;
    if (source->message != NULL && (destination->message = strdup(source->message)) == NULL) {
        return frpc_fail(destination, FRPC_RESOURCE_EXHAUSTED, "out of memory copying a status");
    }
    for (size_t i = 0; i < source->trailing_metadata.count; i++) {
        const frpc_metadata_entry *entry = &source->trailing_metadata.entries[i];
        if (!frpc_metadata_append(&destination->trailing_metadata, entry->key, entry->value,
                                  entry->value_length, entry->binary)) {
            return frpc_fail(destination, FRPC_RESOURCE_EXHAUSTED, "out of memory copying a status");
        }
    }
    return source->code;
}

int64_t frpc_now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int64_t frpc_deadline_after(uint64_t milliseconds) {
    if (milliseconds == 0 || milliseconds > (uint64_t)(INT64_MAX / 2)) return FRPC_NO_DEADLINE;
    return frpc_now_ms() + (int64_t)milliseconds;
}
