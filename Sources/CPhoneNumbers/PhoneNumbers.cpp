// The C face of libphonenumber declared in include/CPhoneNumbers.h.
#include "CPhoneNumbers.h"

#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <set>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

const PhoneNumberUtil &library() { return *PhoneNumberUtil::GetInstance(); }

CPNVerdict verdictForParseError(PhoneNumberUtil::ErrorType error) {
    switch (error) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return CPNVerdictUnknownCountryCode;
    default:
        return CPNVerdictNotANumber;
    }
}

}  // namespace

extern "C" CPNVerdict cpn_parse(const char *text, const char *region, char e164[CPN_E164_CAPACITY]) {
    PhoneNumber number;
    PhoneNumberUtil::ErrorType error = library().Parse(text, region, &number);
    if (error != PhoneNumberUtil::NO_PARSING_ERROR) return verdictForParseError(error);

    std::string formatted;
    library().Format(number, PhoneNumberUtil::E164, &formatted);
    if (formatted.size() >= CPN_E164_CAPACITY) return CPNVerdictNotANumber;
    std::memcpy(e164, formatted.c_str(), formatted.size() + 1);

    if (library().IsValidNumber(number)) return CPNVerdictValid;
    switch (library().IsPossibleNumberWithReason(number)) {
    case PhoneNumberUtil::IS_POSSIBLE:
        return CPNVerdictUnassigned;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
        return CPNVerdictUnknownCountryCode;
    default:
        return CPNVerdictWrongLength;
    }
}

extern "C" bool cpn_is_supported_region(const char *region) {
    std::set<std::string> regions;
    library().GetSupportedRegions(&regions);
    return regions.count(region) > 0;
}

extern "C" bool cpn_is_known_country_code(int code) {
    std::string region;
    library().GetRegionCodeForCountryCode(code, &region);
    return region != "ZZ";
}
