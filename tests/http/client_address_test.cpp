#include "server/client_address.hpp"

#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <random>

using crow::host::IpAddress;
using crow::host::resolveClientAddress;
using crow::host::TrustedProxies;

namespace {

std::string resolve(std::string_view peer, std::vector<std::string_view> xff, const TrustedProxies& t) {
  return resolveClientAddress(peer, xff, t);
}

}  // namespace

class ClientAddressTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ClientAddressTest);
  CPPUNIT_TEST(withoutTrustedProxiesThePeerIsTheClient);
  CPPUNIT_TEST(untrustedPeerIsNotBelieved);
  CPPUNIT_TEST(walksFromTheRightPastTrustedProxies);
  CPPUNIT_TEST(severalHeadersFormOneList);
  CPPUNIT_TEST(allTrustedGivesTheLeftmost);
  CPPUNIT_TEST(garbageFallsBackToThePeer);
  CPPUNIT_TEST(thousandsOfEntries);
  CPPUNIT_TEST(ipv6PortsAndBrackets);
  CPPUNIT_TEST(zoneIds);
  CPPUNIT_TEST(mappedIpv4PeerMatchesIpv4Block);
  CPPUNIT_TEST(badTrustedProxyEntriesAreConfigErrors);
  CPPUNIT_TEST(randomBytesNeverCrash);
  CPPUNIT_TEST_SUITE_END();

 public:
  void withoutTrustedProxiesThePeerIsTheClient() {
    TrustedProxies none;
    CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), resolve("10.0.0.1", {"1.2.3.4"}, none));
  }

  void untrustedPeerIsNotBelieved() {
    TrustedProxies t({"10.0.0.0/8"});
    CPPUNIT_ASSERT_EQUAL(std::string("192.168.1.9"), resolve("192.168.1.9", {"1.2.3.4"}, t));
  }

  void walksFromTheRightPastTrustedProxies() {
    TrustedProxies t({"10.0.0.0/8", "172.16.0.1"});
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), resolve("10.0.0.1", {"1.2.3.4"}, t));
    // The leftmost entry is the client's own claim; the proxy appended the real address after it.
    CPPUNIT_ASSERT_EQUAL(std::string("5.6.7.8"), resolve("10.0.0.1", {"9.9.9.9, 5.6.7.8, 172.16.0.1, 10.1.2.3"}, t));
    CPPUNIT_ASSERT_EQUAL(std::string("5.6.7.8"), resolve("10.0.0.1", {" 5.6.7.8 ,10.9.9.9 "}, t));
  }

  void severalHeadersFormOneList() {
    TrustedProxies t({"10.0.0.0/8"});
    CPPUNIT_ASSERT_EQUAL(std::string("5.6.7.8"), resolve("10.0.0.1", {"1.1.1.1, 5.6.7.8", "10.0.0.7"}, t));
  }

  void allTrustedGivesTheLeftmost() {
    TrustedProxies t({"10.0.0.0/8"});
    CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.9"), resolve("10.0.0.1", {"10.0.0.9, 10.0.0.8"}, t));
  }

  void garbageFallsBackToThePeer() {
    TrustedProxies t({"10.0.0.0/8"});
    for (std::string_view bad : std::initializer_list<std::string_view>{"unknown", "", ",", ", ,", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 5.6.7.8",
                                 "<script>", "999.1.1.1", "[::1", "[::1]x", "::1::2", "1.2.3.4:80:90",
                                 "\r\nX-Evil: 1", std::string_view("1.2.3.4\0", 8)}) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(bad), std::string("10.0.0.1"), resolve("10.0.0.1", {bad}, t));
    }
    // Garbage only matters once the walk reaches it: an untrusted address to its right wins first.
    CPPUNIT_ASSERT_EQUAL(std::string("5.6.7.8"), resolve("10.0.0.1", {"garbage, 5.6.7.8"}, t));
    CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), resolve("10.0.0.1", {"5.6.7.8, garbage"}, t));
  }

  void thousandsOfEntries() {
    TrustedProxies t({"10.0.0.0/8"});
    std::string spoofed;
    for (int i = 0; i < 5000; ++i) spoofed += "1.1.1." + std::to_string(i % 250) + ", ";
    spoofed += "5.6.7.8";
    CPPUNIT_ASSERT_EQUAL(std::string("5.6.7.8"), resolve("10.0.0.1", {spoofed}, t));

    // A chain of trusted hops longer than anyone runs is not walked to its end.
    std::string trustedChain = "7.7.7.7";
    for (int i = 0; i < 5000; ++i) trustedChain += ", 10.0.0.2";
    CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), resolve("10.0.0.1", {trustedChain}, t));

    std::vector<std::string_view> manyHeaders(3000, "10.0.0.3");
    CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), resolveClientAddress("10.0.0.1", manyHeaders, t));
  }

  void ipv6PortsAndBrackets() {
    TrustedProxies t({"::1", "fd00::/8", "10.0.0.0/8"});
    CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::1"), resolve("::1", {"2001:DB8:0:0::1"}, t));
    CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::1"), resolve("::1", {"[2001:db8::1]:443"}, t));
    CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::1"), resolve("::1", {"[2001:db8::1]"}, t));
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), resolve("::1", {"1.2.3.4:5678, fd00::5"}, t));
    CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::2"), resolve("2001:db8::2", {"1.2.3.4"}, t));
  }

  void zoneIds() {
    TrustedProxies t({"fe80::/10"});
    // A client-written zone id is not an address.
    CPPUNIT_ASSERT_EQUAL(std::string("fe80::1"), resolve("fe80::1%2", {"fe80::9%eth0"}, t));
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), resolve("fe80::1%eth0", {"1.2.3.4"}, t));
    CPPUNIT_ASSERT(!IpAddress::parse("fe80::1%eth0"));
    CPPUNIT_ASSERT(IpAddress::parse("fe80::1%eth0", true));
    CPPUNIT_ASSERT_THROW(TrustedProxies({"fe80::1%eth0"}), crow::ConfigError);
  }

  void mappedIpv4PeerMatchesIpv4Block() {
    TrustedProxies t({"10.0.0.0/8"});
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), resolve("::ffff:10.0.0.1", {"1.2.3.4"}, t));
    CPPUNIT_ASSERT_EQUAL(std::string("9.9.9.9"), resolve("::ffff:9.9.9.9", {"1.2.3.4"}, t));
    TrustedProxies mapped({"::ffff:10.0.0.0/104"});
    CPPUNIT_ASSERT(mapped.contains(*IpAddress::parse("10.200.0.1")));
    CPPUNIT_ASSERT(!mapped.contains(*IpAddress::parse("11.0.0.1")));
  }

  void badTrustedProxyEntriesAreConfigErrors() {
    for (const char* bad : {"abc", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "::1/129", "10.0.0.0/8x", "", "1.2.3.4:80"})
      CPPUNIT_ASSERT_THROW_MESSAGE(bad, TrustedProxies({bad}), crow::ConfigError);
    TrustedProxies ok({" 10.0.0.0/8 ", "0.0.0.0/0", "::/0"});
    CPPUNIT_ASSERT(ok.contains(*IpAddress::parse("8.8.8.8")));
    CPPUNIT_ASSERT(ok.contains(*IpAddress::parse("2001:db8::1")));
  }

  void randomBytesNeverCrash() {
    TrustedProxies t({"10.0.0.0/8", "::1"});
    std::mt19937 rng(12345);
    const std::string alphabet = "0123456789abcdefABCDEF.:,[]% \t/x\r\n";
    for (int i = 0; i < 20000; ++i) {
      std::string s(rng() % 80, ' ');
      for (char& c : s) c = (i % 3 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
      std::string got = resolve(i % 2 ? "10.0.0.1" : "::1", {s}, t);
      // Whatever comes back parses as an address: no client text gets through unvalidated.
      CPPUNIT_ASSERT_MESSAGE(got, IpAddress::parse(got).has_value());
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientAddressTest);
