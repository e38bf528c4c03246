// A C face of the parts of libphonenumber (Google's C++ library, Debian libphonenumber-dev) that
// Cardex uses: parse a number as typed, judge it, format it in E.164. CardexCore calls it from
// Swift; nothing here keeps state of its own.
#ifndef CPHONENUMBERS_H
#define CPHONENUMBERS_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Room for a number in E.164 (`+` and at most 17 digits libphonenumber may keep) and its NUL.
#define CPN_E164_CAPACITY 24

/// What libphonenumber made of a text. For the first three, the number was read and its E.164
/// form written out.
typedef enum CPNVerdict {
    /// A number in a range assigned in its country or region.
    CPNVerdictValid = 0,
    /// The right length for its country calling code but in no assigned range (such as +1 555…,
    /// an unassigned North American area code).
    CPNVerdictUnassigned = 1,
    /// Too short or too long for its country calling code.
    CPNVerdictWrongLength = 2,
    /// `+` followed by no known country calling code, or national digits with no usable region.
    CPNVerdictUnknownCountryCode = 3,
    /// Not a phone number: too few digits, too many, or no digits at all.
    CPNVerdictNotANumber = 4,
} CPNVerdict;

/// Reads `text` as libphonenumber does: `+` and a country calling code, the international
/// prefix of `region` (00 in most of Europe, 011 in North America), or national digits of
/// `region` (its trunk prefix dropped where the region's numbers drop it). Writes the E.164 form
/// to `e164` unless the verdict is ``CPNVerdictUnknownCountryCode`` or ``CPNVerdictNotANumber``.
/// Thread-safe: libphonenumber's single instance only reads its metadata.
CPNVerdict cpn_parse(const char *text, const char *region, char e164[CPN_E164_CAPACITY]);

/// Whether libphonenumber has numbering metadata for `region`, an ISO 3166-1 alpha-2 code such
/// as "US" (upper case).
bool cpn_is_supported_region(const char *region);

/// Whether `code` (such as 1, 44, 800) is a country calling code libphonenumber knows.
bool cpn_is_known_country_code(int code);

#ifdef __cplusplus
}
#endif

#endif
