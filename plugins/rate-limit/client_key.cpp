// client_key.cpp - canonical client keys; see client_key.hpp.
#include "client_key.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace crow::rate_limit {

namespace {

constexpr size_t kMaxAddressText = 45;  // INET6_ADDRSTRLEN - 1
constexpr size_t kMaxOtherText = 64;

bool isV4Mapped(const unsigned char* b) noexcept {
  for (int i = 0; i < 10; ++i)
    if (b[i] != 0) return false;
  return b[10] == 0xff && b[11] == 0xff;
}

}  // namespace

std::string clientKey(std::string_view address) {
  std::string out;
  appendClientKey(out, address);
  return out;
}

namespace {

void appendCanonical(std::string& out, std::string_view address);

}  // namespace

void appendClientKey(std::string& out, std::string_view address) {
  // Most requests come from the few clients a thread just served (a gateway, a load balancer):
  // keep the last address and its key per thread rather than parse and print it again.
  thread_local std::string lastAddress;
  thread_local std::string lastKey;
  if (address.empty() || address != lastAddress) {
    lastKey.clear();
    appendCanonical(lastKey, address);
    lastAddress.assign(address);
  }
  out.append(lastKey);
}

namespace {

void appendCanonical(std::string& out, std::string_view address) {
  if (address.empty()) {
    out.append("unknown");
    return;
  }
  std::string_view text = address;
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (const size_t percent = text.find('%'); percent != std::string_view::npos && text.find(':') != std::string_view::npos)
    text = text.substr(0, percent);  // an IPv6 zone id names a local interface, not a client

  if (!text.empty() && text.size() <= kMaxAddressText && text.find('\0') == std::string_view::npos) {
    char buffer[kMaxAddressText + 1];
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    unsigned char bytes[16] = {};
    char printed[INET6_ADDRSTRLEN] = {};
    if (text.find(':') == std::string_view::npos) {
      if (inet_pton(AF_INET, buffer, bytes) == 1 && inet_ntop(AF_INET, bytes, printed, sizeof printed)) {
        out.append(printed);
        return;
      }
    } else if (inet_pton(AF_INET6, buffer, bytes) == 1) {
      if (isV4Mapped(bytes)) {
        if (inet_ntop(AF_INET, bytes + 12, printed, sizeof printed)) {
          out.append(printed);
          return;
        }
      } else {
        std::memset(bytes + 8, 0, 8);
        if (inet_ntop(AF_INET6, bytes, printed, sizeof printed)) {
          out.append(printed);
          out.append("/64");
          return;
        }
      }
    }
  }
  out.append("other:");
  out.append(address.substr(0, kMaxOtherText));
}

}  // namespace

}  // namespace crow::rate_limit
