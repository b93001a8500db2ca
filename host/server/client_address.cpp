#include "server/client_address.hpp"

#include "crow/error.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>

namespace crow::host {

namespace {

constexpr std::size_t kMaxAddressText = 45;  // longest IPv6 text, INET6_ADDRSTRLEN - 1

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool isV4Mapped(const std::array<std::uint8_t, 16>& b) noexcept {
  for (int i = 0; i < 10; ++i)
    if (b[i] != 0) return false;
  return b[10] == 0xff && b[11] == 0xff;
}

// An X-Forwarded-For entry may carry a port ("1.2.3.4:80", "[::1]:443") or brackets ("[::1]").
std::string_view stripPort(std::string_view s) noexcept {
  if (!s.empty() && s.front() == '[') {
    const size_t close = s.find(']');
    if (close == std::string_view::npos) return {};
    std::string_view after = s.substr(close + 1);
    if (!after.empty() && after.front() != ':') return {};
    return s.substr(1, close - 1);
  }
  const size_t colon = s.find(':');
  if (colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos &&
      s.find('.') != std::string_view::npos)
    return s.substr(0, colon);  // IPv4 with a port
  return s;
}

bool inBlock(const IpAddress& a, const IpAddress& base, int bits) noexcept {
  if (a.v6 != base.v6) return false;
  int i = 0;
  for (; bits >= 8; bits -= 8, ++i)
    if (a.bytes[i] != base.bytes[i]) return false;
  if (bits == 0) return true;
  const std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - bits));
  return (a.bytes[i] & mask) == (base.bytes[i] & mask);
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text, bool allowZone) noexcept {
  const size_t percent = text.find('%');
  if (percent != std::string_view::npos) {
    if (!allowZone) return std::nullopt;
    text = text.substr(0, percent);
  }
  // inet_pton stops at a NUL, so "1.2.3.4\0junk" would otherwise pass as 1.2.3.4.
  if (text.empty() || text.size() > kMaxAddressText || text.find('\0') != std::string_view::npos)
    return std::nullopt;
  char buffer[kMaxAddressText + 1];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';

  IpAddress out;
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buffer, out.bytes.data()) != 1) return std::nullopt;
    return out;
  }
  if (inet_pton(AF_INET6, buffer, out.bytes.data()) != 1) return std::nullopt;
  if (isV4Mapped(out.bytes)) {
    std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
    std::memset(out.bytes.data() + 4, 0, 12);
    return out;
  }
  out.v6 = true;
  return out;
}

std::string IpAddress::toString() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buffer, sizeof buffer)) return {};
  return buffer;
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const std::string& raw : entries) {
    std::string_view entry = trim(raw);
    std::string_view addressText = entry;
    std::optional<int> bits;
    if (const size_t slash = entry.find('/'); slash != std::string_view::npos) {
      addressText = entry.substr(0, slash);
      std::string_view bitsText = entry.substr(slash + 1);
      int value = -1;
      auto [end, ec] = std::from_chars(bitsText.data(), bitsText.data() + bitsText.size(), value);
      if (ec != std::errc() || end != bitsText.data() + bitsText.size() || bitsText.empty())
        throw crow::ConfigError("trusted proxy '" + raw + "' is not an address or CIDR block");
      bits = value;
    }
    std::optional<IpAddress> address = IpAddress::parse(addressText);
    if (!address) throw crow::ConfigError("trusted proxy '" + raw + "' is not an address or CIDR block");
    const bool mapped = !address->v6 && addressText.find(':') != std::string_view::npos;
    int prefix = bits.value_or(address->v6 || mapped ? 128 : 32);
    if (mapped) prefix -= 96;  // "::ffff:10.0.0.0/104" is 10.0.0.0/8
    const int maxBits = address->v6 ? 128 : 32;
    if (prefix < 0 || prefix > maxBits)
      throw crow::ConfigError("trusted proxy '" + raw + "' has a prefix length out of range");
    blocks_.push_back(Block{*address, prefix});
  }
}

bool TrustedProxies::contains(const IpAddress& address) const noexcept {
  for (const Block& block : blocks_)
    if (inBlock(address, block.base, block.prefixBits)) return true;
  return false;
}

std::string resolveClientAddress(std::string_view peer, const std::vector<std::string_view>& forwardedFor,
                                 const TrustedProxies& trusted) {
  const std::optional<IpAddress> peerAddress = IpAddress::parse(peer, true);
  if (!peerAddress) return std::string(peer);
  std::string peerText = peerAddress->toString();
  if (trusted.empty() || forwardedFor.empty() || !trusted.contains(*peerAddress)) return peerText;

  // Right to left across the headers (last header first), and within each header across commas.
  int hops = 0;
  std::optional<IpAddress> leftmost;
  for (auto header = forwardedFor.rbegin(); header != forwardedFor.rend(); ++header) {
    std::string_view rest = *header;
    while (true) {
      const size_t comma = rest.rfind(',');
      std::string_view entry =
          trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
      if (++hops > kMaxForwardedHops) return peerText;
      std::optional<IpAddress> address = IpAddress::parse(stripPort(entry));
      if (!address) return peerText;
      if (!trusted.contains(*address)) return address->toString();
      leftmost = address;
      if (comma == std::string_view::npos) break;
      rest = rest.substr(0, comma);
    }
  }
  // Every hop was a trusted proxy: the request started inside our own network.
  return leftmost ? leftmost->toString() : peerText;
}

}  // namespace crow::host
