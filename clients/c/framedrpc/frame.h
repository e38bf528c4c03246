/*
 * Connection preface and frames (PROTOCOL.md §2-3): encoding, validation and an
 * incremental decoder. Pure byte manipulation, no I/O, so it is tested by
 * feeding bytes one at a time and in bulk (clients/c/tests/frame_test.c).
 */
#ifndef FRAMEDRPC_FRAME_H
#define FRAMEDRPC_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRPC_PREFACE_SIZE 8
#define FRPC_FRAME_HEADER_SIZE 10
#define FRPC_PING_DATA_SIZE 8
#define FRPC_WINDOW_UPDATE_SIZE 4
#define FRPC_MAX_WINDOW_INCREMENT 0x7fffffffu
/** Largest payload a receiver accepts unless configured otherwise (4 MiB). */
#define FRPC_DEFAULT_MAX_FRAME_SIZE (4u * 1024u * 1024u)

/** The 8 bytes each side writes first: "FRPC\r\n", major 1, minor 0. */
extern const uint8_t frpc_preface[FRPC_PREFACE_SIZE];

typedef enum frpc_frame_type {
    FRPC_FRAME_HEADERS = 0x01,
    FRPC_FRAME_MESSAGE = 0x02,
    FRPC_FRAME_HALF_CLOSE = 0x03,
    FRPC_FRAME_STATUS = 0x04,
    FRPC_FRAME_CANCEL = 0x05,
    FRPC_FRAME_WINDOW_UPDATE = 0x06,
    FRPC_FRAME_PING = 0x07,
    FRPC_FRAME_PONG = 0x08,
    FRPC_FRAME_GOAWAY = 0x09,
} frpc_frame_type;

/** The GoAwayCode values of wire.proto that name a broken rule. */
typedef enum frpc_wire_error_code {
    FRPC_WIRE_PROTOCOL_ERROR = 1,
    FRPC_WIRE_FRAME_TOO_LARGE = 2,
    FRPC_WIRE_UNSUPPORTED_VERSION = 3,
    FRPC_WIRE_FLOW_CONTROL_ERROR = 4,
} frpc_wire_error_code;

/** A connection error: which rule the peer broke and a message saying how. */
typedef struct frpc_wire_error {
    frpc_wire_error_code code;
    char message[160];
} frpc_wire_error;

/** One frame. `payload` points into the decoder's buffer (valid until the next
 *  frpc_decoder_feed or frpc_decoder_next) or the sender's. */
typedef struct frpc_frame {
    frpc_frame_type type;
    uint8_t flags;
    uint32_t stream_id;
    uint32_t length;
    const uint8_t *payload;
} frpc_frame;

/** The frame type's name, e.g. "HEADERS"; "UNKNOWN" otherwise. */
const char *frpc_frame_type_name(uint8_t type);

/** The GoAwayCode's name, e.g. "NO_ERROR"; "UNKNOWN" for a value beyond wire.proto's. */
const char *frpc_goaway_code_name(int code);

/** Writes the 10-byte header of a frame (flags 0). */
void frpc_frame_encode_header(uint8_t header[FRPC_FRAME_HEADER_SIZE], frpc_frame_type type,
                              uint32_t stream_id, uint32_t length);

/** Checks a peer's 8-byte preface: wrong magic is PROTOCOL_ERROR (the peer does not
 *  speak FramedRPC), a major version other than 1 is UNSUPPORTED_VERSION; the minor
 *  version is not checked. Returns false and fills `error` on failure. */
bool frpc_preface_check(const uint8_t preface[FRPC_PREFACE_SIZE], frpc_wire_error *error);

/** Checks the rules of §3 that one frame sent by a server can break: known type,
 *  allowed from server to client, stream 0 exactly for PING/PONG/GOAWAY, the fixed
 *  payload sizes, and the WINDOW_UPDATE increment range. */
bool frpc_frame_validate_from_server(const frpc_frame *frame, frpc_wire_error *error);

/** The increment a WINDOW_UPDATE frame carries (validated frames only). */
uint32_t frpc_frame_window_increment(const frpc_frame *frame);

/** Turns a byte stream into validated frames. Bounded: a header announcing more
 *  than `max_frame_size` payload bytes fails with FRAME_TOO_LARGE before any of that
 *  payload is buffered. Zero-initialise, then frpc_decoder_init. */
typedef struct frpc_decoder {
    uint8_t *buffer;
    size_t start;     /* first byte not yet returned as a frame */
    size_t length;    /* bytes in buffer, from 0 */
    size_t capacity;
    uint32_t max_frame_size;
} frpc_decoder;

void frpc_decoder_init(frpc_decoder *decoder, uint32_t max_frame_size);

/** Appends bytes; false when out of memory. */
bool frpc_decoder_feed(frpc_decoder *decoder, const uint8_t *data, size_t length);

/** 1: *frame is the next complete, validated frame; 0: more bytes are needed;
 *  -1: the peer broke the protocol (`error` says how; the decoder is then unusable). */
int frpc_decoder_next(frpc_decoder *decoder, frpc_frame *frame, frpc_wire_error *error);

/** Bytes received but not yet returned as frames. */
size_t frpc_decoder_buffered(const frpc_decoder *decoder);

void frpc_decoder_free(frpc_decoder *decoder);

#endif /* FRAMEDRPC_FRAME_H */
