#include "internal.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_KEY_LENGTH = 255 };

static bool has_binary_suffix(const char *key) {
    size_t length = strlen(key);
    return length >= 4 && strcmp(key + length - 4, "-bin") == 0;
}

static bool valid_key(const char *key) {
    size_t length = strlen(key);
    if (length < 1 || length > MAX_KEY_LENGTH) return false;
    for (const char *c = key; *c != '\0'; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.')) {
            return false;
        }
    }
    return true;
}

bool frpc_metadata_append(frpc_metadata *metadata, const char *key, const uint8_t *value,
                          size_t length, bool binary) {
    if (metadata->count == metadata->capacity) {
        size_t capacity = metadata->capacity ? metadata->capacity * 2 : 4;
        frpc_metadata_entry *entries = realloc(metadata->entries, capacity * sizeof *entries);
        if (entries == NULL) return false;
        metadata->entries = entries;
        metadata->capacity = capacity;
    }
    frpc_metadata_entry entry = {strdup(key), malloc(length + 1), length, binary};
    if (entry.key == NULL || entry.value == NULL) {
        free(entry.key);
        free(entry.value);
        return false;
    }
    if (length > 0) memcpy(entry.value, value, length);
    entry.value[length] = '\0';
    metadata->entries[metadata->count++] = entry;
    return true;
}

frpc_code frpc_metadata_add_text(frpc_metadata *metadata, const char *key, const char *value) {
    if (key == NULL || value == NULL || !valid_key(key) || has_binary_suffix(key)) {
        return FRPC_INVALID_ARGUMENT;
    }
    return frpc_metadata_append(metadata, key, (const uint8_t *)value, strlen(value), false)
        ? FRPC_OK : FRPC_RESOURCE_EXHAUSTED;
}

frpc_code frpc_metadata_add_binary(frpc_metadata *metadata, const char *key,
                                   const uint8_t *value, size_t length) {
    if (key == NULL || (value == NULL && length > 0) || !valid_key(key) || !has_binary_suffix(key)) {
        return FRPC_INVALID_ARGUMENT;
    }
    return frpc_metadata_append(metadata, key, value, length, true) ? FRPC_OK : FRPC_RESOURCE_EXHAUSTED;
}

const frpc_metadata_entry *frpc_metadata_get(const frpc_metadata *metadata, const char *key) {
    for (size_t i = 0; i < metadata->count; i++) {
        if (strcmp(metadata->entries[i].key, key) == 0) return &metadata->entries[i];
    }
    return NULL;
}

void frpc_metadata_clear(frpc_metadata *metadata) {
    for (size_t i = 0; i < metadata->count; i++) {
        free(metadata->entries[i].key);
        free(metadata->entries[i].value);
    }
    free(metadata->entries);
    *metadata = (frpc_metadata){NULL, 0, 0};
}

bool frpc_metadata_from_wire(frpc_metadata *metadata, Framedrpc__V1__MetadataEntry *const *entries,
                             size_t count) {
    for (size_t i = 0; i < count; i++) {
        const Framedrpc__V1__MetadataEntry *entry = entries[i];
        bool ok;
        if (entry->value_case == FRAMEDRPC__V1__METADATA_ENTRY__VALUE_BINARY) {
            ok = frpc_metadata_append(metadata, entry->key, entry->binary.data, entry->binary.len, true);
        } else {
            const char *text = entry->value_case == FRAMEDRPC__V1__METADATA_ENTRY__VALUE_TEXT ? entry->text : "";
            ok = frpc_metadata_append(metadata, entry->key, (const uint8_t *)text, strlen(text), false);
        }
        if (!ok) return false;
    }
    return true;
}

bool frpc_metadata_to_wire(const frpc_metadata *metadata, Framedrpc__V1__MetadataEntry ***pointers) {
    size_t count = metadata != NULL ? metadata->count : 0;
    /* One block: the pointer array, then the entries it points to. */
    void *block = malloc(count * (sizeof(Framedrpc__V1__MetadataEntry *) + sizeof(Framedrpc__V1__MetadataEntry)) + 1);
    if (block == NULL) return false;
    Framedrpc__V1__MetadataEntry **array = block;
    Framedrpc__V1__MetadataEntry *entries = (Framedrpc__V1__MetadataEntry *)(array + count);
    for (size_t i = 0; i < count; i++) {
        const frpc_metadata_entry *source = &metadata->entries[i];
        framedrpc__v1__metadata_entry__init(&entries[i]);
        entries[i].key = source->key;
        if (source->binary) {
            entries[i].value_case = FRAMEDRPC__V1__METADATA_ENTRY__VALUE_BINARY;
            entries[i].binary.data = source->value;
            entries[i].binary.len = source->value_length;
        } else {
            entries[i].value_case = FRAMEDRPC__V1__METADATA_ENTRY__VALUE_TEXT;
            entries[i].text = (char *)source->value;
        }
        array[i] = &entries[i];
    }
    *pointers = array;
    return true;
}
