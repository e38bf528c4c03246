// What libphonenumber (Debian's libphonenumber-dev, the library CPhoneNumbers wraps) costs per
// number it has not seen: Parse, then IsValidNumber (and IsPossibleNumberWithReason when not
// valid), as PhoneNumbers.cpp does. 20,000 distinct numbers of each kind, one after another.
// Build and run: g++ -O2 Benchmarks/storage/phone-parse.cpp -lphonenumber -o /tmp/phone-parse && /tmp/phone-parse
#include <phonenumbers/phonenumberutil.h>

#include <chrono>
#include <cstdio>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;
using Clock = std::chrono::steady_clock;

int main() {
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    // The seeded benchmark numbers (+1 557, an unassigned area code) and valid US numbers.
    const char *kinds[][2] = {{"+1557", "unassigned +1 557"}, {"+1202", "valid US +1 202"}};
    const int count = 20000;
    for (auto &kind : kinds) {
        double parse = 0, validate = 0;
        for (int i = 0; i < count; i++) {
            char text[32];
            std::snprintf(text, sizeof text, "%s%07d", kind[0], 2000000 + i * 37 % 7999999);
            auto start = Clock::now();
            PhoneNumber number;
            util.Parse(text, "US", &number);
            std::string e164;
            util.Format(number, PhoneNumberUtil::E164, &e164);
            auto parsed = Clock::now();
            if (!util.IsValidNumber(number)) util.IsPossibleNumberWithReason(number);
            auto judged = Clock::now();
            parse += std::chrono::duration<double, std::micro>(parsed - start).count();
            validate += std::chrono::duration<double, std::micro>(judged - parsed).count();
        }
        std::printf("%-18s parse %.1f us, judge %.1f us, together %.1f us a number\n", kind[1], parse / count, validate / count,
                    (parse + validate) / count);
    }
}
