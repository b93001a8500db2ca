#include "server/request_id.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <thread>

namespace crow::host {

namespace {

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t seed() {
  std::random_device device;
  std::uint64_t s = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  s ^= static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  s ^= std::hash<std::thread::id>{}(std::this_thread::get_id());
  return s;
}

}  // namespace

std::string newRequestId() {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford base32
  thread_local std::uint64_t state = seed();
  std::uint64_t bits = splitmix64(state);
  std::string id(13, '0');
  for (char& c : id) {
    c = kAlphabet[bits & 31];
    bits >>= 5;
  }
  return id;
}

}  // namespace crow::host
