#include "frame.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const uint8_t frpc_preface[FRPC_PREFACE_SIZE] = {'F', 'R', 'P', 'C', '\r', '\n', 1, 0};

enum { PREFACE_MAGIC_SIZE = 6, PROTOCOL_MAJOR = 1 };

const char *frpc_frame_type_name(uint8_t type) {
    static const char *const names[] = {
        "UNKNOWN", "HEADERS", "MESSAGE", "HALF_CLOSE", "STATUS", "CANCEL",
        "WINDOW_UPDATE", "PING", "PONG", "GOAWAY",
    };
    return type < sizeof names / sizeof names[0] ? names[type] : names[0];
}

const char *frpc_goaway_code_name(int code) {
    static const char *const names[] = {
        "NO_ERROR", "PROTOCOL_ERROR", "FRAME_TOO_LARGE", "UNSUPPORTED_VERSION",
        "FLOW_CONTROL_ERROR", "IDLE_TIMEOUT", "KEEPALIVE_TIMEOUT", "INTERNAL_ERROR",
    };
    return code >= 0 && (size_t)code < sizeof names / sizeof names[0] ? names[code] : "UNKNOWN";
}

static uint32_t read_u32(const uint8_t *bytes) {
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}

static void write_u32(uint8_t *bytes, uint32_t value) {
    bytes[0] = (uint8_t)(value >> 24);
    bytes[1] = (uint8_t)(value >> 16);
    bytes[2] = (uint8_t)(value >> 8);
    bytes[3] = (uint8_t)value;
}

static bool fail(frpc_wire_error *error, frpc_wire_error_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(frpc_wire_error *error, frpc_wire_error_code code, const char *format, ...) {
    error->code = code;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(error->message, sizeof error->message, format, arguments);
    va_end(arguments);
    return false;
}

void frpc_frame_encode_header(uint8_t header[FRPC_FRAME_HEADER_SIZE], frpc_frame_type type,
                              uint32_t stream_id, uint32_t length) {
    write_u32(header, length);
    header[4] = (uint8_t)type;
    header[5] = 0;
    write_u32(header + 6, stream_id);
}

bool frpc_preface_check(const uint8_t preface[FRPC_PREFACE_SIZE], frpc_wire_error *error) {
    if (memcmp(preface, frpc_preface, PREFACE_MAGIC_SIZE) != 0) {
        return fail(error, FRPC_WIRE_PROTOCOL_ERROR,
                    "server preface %02x %02x %02x %02x %02x %02x is not FramedRPC's magic "
                    "(46 52 50 43 0d 0a): the server does not speak this protocol",
                    preface[0], preface[1], preface[2], preface[3], preface[4], preface[5]);
    }
    if (preface[PREFACE_MAGIC_SIZE] != PROTOCOL_MAJOR) {
        return fail(error, FRPC_WIRE_UNSUPPORTED_VERSION,
                    "server speaks FramedRPC major version %u; this client speaks %d",
                    preface[PREFACE_MAGIC_SIZE], PROTOCOL_MAJOR);
    }
    return true;
}

static bool is_connection_frame(frpc_frame_type type) {
    return type == FRPC_FRAME_PING || type == FRPC_FRAME_PONG || type == FRPC_FRAME_GOAWAY;
}

/* The payload size the table of §3 requires, or -1 for any. */
static long required_payload_size(frpc_frame_type type) {
    switch (type) {
    case FRPC_FRAME_WINDOW_UPDATE: return FRPC_WINDOW_UPDATE_SIZE;
    case FRPC_FRAME_PING:
    case FRPC_FRAME_PONG: return FRPC_PING_DATA_SIZE;
    default: return -1;
    }
}

uint32_t frpc_frame_window_increment(const frpc_frame *frame) {
    return read_u32(frame->payload);
}

bool frpc_frame_validate_from_server(const frpc_frame *frame, frpc_wire_error *error) {
    const char *name = frpc_frame_type_name(frame->type);
    if (frame->type < FRPC_FRAME_HEADERS || frame->type > FRPC_FRAME_GOAWAY) {
        return fail(error, FRPC_WIRE_PROTOCOL_ERROR, "unknown frame type 0x%02x", frame->type);
    }
    if (frame->type == FRPC_FRAME_HALF_CLOSE || frame->type == FRPC_FRAME_CANCEL) {
        return fail(error, FRPC_WIRE_PROTOCOL_ERROR, "%s is not allowed from server to client", name);
    }
    if (is_connection_frame(frame->type) && frame->stream_id != 0) {
        return fail(error, FRPC_WIRE_PROTOCOL_ERROR, "%s on stream %u, not 0", name, frame->stream_id);
    }
    if (!is_connection_frame(frame->type) && frame->stream_id == 0) {
        return fail(error, FRPC_WIRE_PROTOCOL_ERROR, "%s on stream 0", name);
    }
    long size = required_payload_size(frame->type);
    if (size >= 0 && frame->length != (uint32_t)size) {
        return fail(error, FRPC_WIRE_PROTOCOL_ERROR, "%s payload is %u bytes, not %ld",
                    name, frame->length, size);
    }
    if (frame->type == FRPC_FRAME_WINDOW_UPDATE) {
        uint32_t increment = frpc_frame_window_increment(frame);
        if (increment < 1 || increment > FRPC_MAX_WINDOW_INCREMENT) {
            return fail(error, FRPC_WIRE_PROTOCOL_ERROR, "window increment %u is outside 1...%u",
                        increment, FRPC_MAX_WINDOW_INCREMENT);
        }
    }
    return true;
}

void frpc_decoder_init(frpc_decoder *decoder, uint32_t max_frame_size) {
    memset(decoder, 0, sizeof *decoder);
    decoder->max_frame_size = max_frame_size;
}

bool frpc_decoder_feed(frpc_decoder *decoder, const uint8_t *data, size_t length) {
    if (decoder->start > 0) {  /* drop the frames already returned */
        memmove(decoder->buffer, decoder->buffer + decoder->start, decoder->length - decoder->start);
        decoder->length -= decoder->start;
        decoder->start = 0;
    }
    if (decoder->length + length > decoder->capacity) {
        size_t capacity = decoder->capacity ? decoder->capacity : 16 * 1024;
        while (capacity < decoder->length + length) capacity *= 2;
        uint8_t *buffer = realloc(decoder->buffer, capacity);
        if (buffer == NULL) return false;
        decoder->buffer = buffer;
        decoder->capacity = capacity;
    }
    if (length > 0) memcpy(decoder->buffer + decoder->length, data, length);
    decoder->length += length;
    return true;
}

int frpc_decoder_next(frpc_decoder *decoder, frpc_frame *frame, frpc_wire_error *error) {
    size_t available = decoder->length - decoder->start;
    if (available < FRPC_FRAME_HEADER_SIZE) return 0;
    const uint8_t *header = decoder->buffer + decoder->start;
    uint32_t length = read_u32(header);
    if (length > decoder->max_frame_size) {
        fail(error, FRPC_WIRE_FRAME_TOO_LARGE, "frame announces %u payload bytes; the limit is %u",
             length, decoder->max_frame_size);
        return -1;
    }
    if (available < FRPC_FRAME_HEADER_SIZE + (size_t)length) return 0;
    frame->length = length;
    frame->type = (frpc_frame_type)header[4];
    frame->flags = header[5];
    frame->stream_id = read_u32(header + 6);
    frame->payload = header + FRPC_FRAME_HEADER_SIZE;
    decoder->start += FRPC_FRAME_HEADER_SIZE + (size_t)length;
    return frpc_frame_validate_from_server(frame, error) ? 1 : -1;
}

size_t frpc_decoder_buffered(const frpc_decoder *decoder) {
    return decoder->length - decoder->start;
}

void frpc_decoder_free(frpc_decoder *decoder) {
    free(decoder->buffer);
    memset(decoder, 0, sizeof *decoder);
}
