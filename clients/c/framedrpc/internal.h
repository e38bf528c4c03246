/* Helpers shared by the library's files; not part of the public API. */
#ifndef FRAMEDRPC_INTERNAL_H
#define FRAMEDRPC_INTERNAL_H

#include "framedrpc.h"
#include "framedrpc/v1/wire.pb-c.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/** Deadlines are milliseconds on the monotonic clock; this value means none. */
#define FRPC_NO_DEADLINE INT64_MAX

/** Now, in milliseconds on the monotonic clock. */
int64_t frpc_now_ms(void);

/** `now + milliseconds`, or FRPC_NO_DEADLINE for 0 milliseconds. */
int64_t frpc_deadline_after(uint64_t milliseconds);

/** Clears `status` (NULL allowed) and sets it to `code` with a formatted message.
 *  Returns `code`, so `return frpc_fail(status, ...)` reads as what it does. */
frpc_code frpc_fail(frpc_status *status, frpc_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/** frpc_fail with a va_list. */
frpc_code frpc_vfail(frpc_status *status, frpc_code code, const char *format, va_list arguments)
    __attribute__((format(printf, 3, 0)));

/** Clears `destination` (NULL allowed) and makes it a deep copy of `source`.
 *  Returns the copied code, or RESOURCE_EXHAUSTED when out of memory. */
frpc_code frpc_status_copy(frpc_status *destination, const frpc_status *source);

/** Appends an entry without checking the key rules (for metadata as received). */
bool frpc_metadata_append(frpc_metadata *metadata, const char *key, const uint8_t *value,
                          size_t length, bool binary);

/** Converts received wire entries, kept as received; false when out of memory. */
bool frpc_metadata_from_wire(frpc_metadata *metadata, Framedrpc__V1__MetadataEntry *const *entries,
                             size_t count);

/** Wire entries pointing into `metadata` (no copies): an array of `count` entries
 *  and one of pointers, freed with one free() of *pointers. False when out of memory. */
bool frpc_metadata_to_wire(const frpc_metadata *metadata, Framedrpc__V1__MetadataEntry ***pointers);

#endif /* FRAMEDRPC_INTERNAL_H */
