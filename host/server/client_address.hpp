// Which address a request came from: the socket peer, or, when that peer is one of our trusted
// proxies, the first address in X-Forwarded-For (walked right to left) that is not a trusted
// proxy. The leftmost X-Forwarded-For entries are whatever the client wrote, so they are only
// believed as far as a chain of trusted proxies vouches for them.
//
// Everything here treats its input as hostile: a malformed entry, a zone id, a port, thousands of
// entries: the answer is then the socket peer, never a crash and never unvalidated text.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crow::host {

/// An IPv4 or IPv6 address. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are folded to IPv4 so a
/// dual-stack listener and an IPv4 proxy list agree.
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  ///< first 4 bytes used for IPv4

  /// Parses a bare address ("10.0.0.1", "2001:db8::1"). With `allowZone`, a "%zone" suffix is
  /// dropped (for socket peers); otherwise it makes the text invalid.
  static std::optional<IpAddress> parse(std::string_view text, bool allowZone = false) noexcept;
  /// Canonical text (inet_ntop).
  std::string toString() const;
};

class TrustedProxies {
 public:
  TrustedProxies() = default;
  /// Each entry is an address or a CIDR block ("10.0.0.0/8", "::1", "fd00::/8"). Throws
  /// crow::ConfigError naming a malformed entry.
  explicit TrustedProxies(const std::vector<std::string>& entries);

  bool empty() const noexcept { return blocks_.empty(); }
  bool contains(const IpAddress& address) const noexcept;

 private:
  struct Block {
    IpAddress base;
    int prefixBits = 0;
  };
  std::vector<Block> blocks_;
};

/// The most entries of X-Forwarded-For examined before giving up and using the peer.
inline constexpr int kMaxForwardedHops = 32;

/// Resolves the client address. `peer` is the socket peer's host as text; `forwardedFor` holds
/// the values of every X-Forwarded-For header in the order received (they form one list).
std::string resolveClientAddress(std::string_view peer, const std::vector<std::string_view>& forwardedFor,
                                 const TrustedProxies& trusted);

}  // namespace crow::host
