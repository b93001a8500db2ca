// Random identifiers: alphabet, length, uniqueness and a coarse uniformity check.
#include "crypto/random.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <set>

using namespace crow::host;

class RandomTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RandomTest);
  CPPUNIT_TEST(idHasRequestedLengthAndAlphabet);
  CPPUNIT_TEST(idsDoNotRepeat);
  CPPUNIT_TEST(idCharactersAreRoughlyUniform);
  CPPUNIT_TEST(hexAndBytesHaveRequestedSize);
  CPPUNIT_TEST_SUITE_END();

  static bool inAlphabet(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

 public:
  void idHasRequestedLengthAndAlphabet() {
    CPPUNIT_ASSERT_EQUAL(std::size_t(32), randomId().size());
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), randomId(0).size());
    const std::string id = randomId(1000);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1000), id.size());
    for (char c : id) CPPUNIT_ASSERT(inAlphabet(c));
  }

  void idsDoNotRepeat() {
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) CPPUNIT_ASSERT(seen.insert(randomId()).second);
  }

  void idCharactersAreRoughlyUniform() {
    // 620,000 characters: each of the 62 expected 10,000 times (sd ~ 99). A modulo-biased
    // generator would give the first 8 characters ~ 12,500. Bounds at +-10% never fail by chance.
    std::map<char, int> counts;
    for (char c : randomId(620000)) ++counts[c];
    CPPUNIT_ASSERT_EQUAL(std::size_t(62), counts.size());
    for (const auto& [c, n] : counts) {
      CPPUNIT_ASSERT_MESSAGE(std::string("character ") + c + " count " + std::to_string(n), n > 9000 && n < 11000);
    }
  }

  void hexAndBytesHaveRequestedSize() {
    const std::string hex = randomHex(16);
    CPPUNIT_ASSERT_EQUAL(std::size_t(32), hex.size());
    for (char c : hex) CPPUNIT_ASSERT((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    CPPUNIT_ASSERT_EQUAL(std::size_t(24), randomBytes(24).size());
    CPPUNIT_ASSERT(randomBytes(32) != randomBytes(32));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RandomTest);
