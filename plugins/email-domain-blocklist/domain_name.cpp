#include "domain_name.hpp"

#include <idn2.h>

#include <memory>

namespace email_domain_blocklist {
namespace {

constexpr std::size_t kMaxDomainLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

bool isAscii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// True when some label starts with "xn--" in any case: such a label claims to be punycode and
// must be decoded and checked by libidn2, or "xn--garbage" would pass as a name of its own.
bool hasPunycodeLabel(std::string_view domain) {
  std::size_t start = 0;
  while (start <= domain.size()) {
    const std::size_t dot = domain.find('.', start);
    const std::string_view label = domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.size() >= 4 && lower(label[0]) == 'x' && lower(label[1]) == 'n' && label[2] == '-' && label[3] == '-')
      return true;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return false;
}

// libidn2's UTS #46 mapping leaves ASCII it does not know what to do with (spaces, '@', '_')
// in place unless STD3 rules are on, and with STD3 on it silently drops them; neither belongs in
// a mail domain, so the result is checked here instead.
std::string hostNameError(std::string_view domain) {
  if (domain.empty()) return "is empty";
  if (domain.size() > kMaxDomainLength) return "is longer than 253 characters";
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::string_view label = domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty()) return "has an empty label";
    if (label.size() > kMaxLabelLength) return "has a label longer than 63 characters";
    if (label.front() == '-' || label.back() == '-') return "has a label that starts or ends with '-'";
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
        return "holds a character that is not a letter, digit, '-' or '.'";
    if (dot == std::string_view::npos) return {};
    start = dot + 1;
  }
}

}  // namespace

NormalizedDomain normalizeDomain(std::string_view domain) {
  NormalizedDomain result;
  if (domain.empty()) return {{}, "is empty"};
  if (domain.size() > kMaxDomainInputBytes) return {{}, "is longer than 1024 bytes"};
  // libidn2 reads a C string: an embedded NUL would cut the name short ("corp.com\0.gmail.com").
  if (domain.find('\0') != std::string_view::npos) return {{}, "holds a NUL byte"};

  if (isAscii(domain) && !hasPunycodeLabel(domain)) {
    result.domain.reserve(domain.size());
    for (char c : domain) result.domain.push_back(lower(c));
  } else {
    const std::string input(domain);
    char* output = nullptr;
    const int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(input.c_str()),
                                  reinterpret_cast<uint8_t**>(&output), IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    const std::unique_ptr<char, decltype(&idn2_free)> owned(output, &idn2_free);
    if (rc != IDN2_OK) return {{}, std::string("is not a valid internationalised domain name (") + idn2_strerror(rc) + ")"};
    result.domain = output ? output : "";
    for (char& c : result.domain) c = lower(c);
  }

  // The root dot ("gmail.com.") names the same domain; remove one, so "gmail.com.." stays invalid.
  if (!result.domain.empty() && result.domain.back() == '.') result.domain.pop_back();
  if (std::string error = hostNameError(result.domain); !error.empty()) return {{}, std::move(error)};
  return result;
}

std::optional<std::string_view> emailDomain(std::string_view email) {
  const std::size_t at = email.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  return email.substr(at + 1);
}

}  // namespace email_domain_blocklist
