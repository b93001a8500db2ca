// ${VAR} / ${VAR:-default} / $${ expansion of single values.
#include "config/env_substitution.hpp"
#include "config_test_support.hpp"

#include <cppunit/extensions/HelperMacros.h>

using crow::host::substituteVariables;
using config_test::envFrom;

class EnvSubstitutionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EnvSubstitutionTest);
  CPPUNIT_TEST(plainTextIsUntouched);
  CPPUNIT_TEST(variableIsReplaced);
  CPPUNIT_TEST(missingVariableWithoutDefaultIsAnError);
  CPPUNIT_TEST(defaultUsedWhenUnsetOrEmpty);
  CPPUNIT_TEST(emptyDefaultGivesEmptyText);
  CPPUNIT_TEST(variablesInsideLongerText);
  CPPUNIT_TEST(nestedDefault);
  CPPUNIT_TEST(dollarDollarBraceIsALiteral);
  CPPUNIT_TEST(loneDollarIsKept);
  CPPUNIT_TEST(unterminatedExpressionIsAnError);
  CPPUNIT_TEST(invalidNamesAreErrors);
  CPPUNIT_TEST(valuesAreNotExpandedTwice);
  CPPUNIT_TEST_SUITE_END();

 public:
  void plainTextIsUntouched() {
    auto result = substituteVariables("hello world", envFrom({}));
    CPPUNIT_ASSERT_EQUAL(std::string("hello world"), result.value);
    CPPUNIT_ASSERT(!result.expanded);
    CPPUNIT_ASSERT(result.error.empty());
  }

  void variableIsReplaced() {
    auto result = substituteVariables("${PORT}", envFrom({{"PORT", "9000"}}));
    CPPUNIT_ASSERT_EQUAL(std::string("9000"), result.value);
    CPPUNIT_ASSERT(result.expanded);
    CPPUNIT_ASSERT(result.error.empty());
    // Set but empty is still a value for ${VAR}.
    CPPUNIT_ASSERT_EQUAL(std::string(""), substituteVariables("${EMPTY}", envFrom({{"EMPTY", ""}})).value);
  }

  void missingVariableWithoutDefaultIsAnError() {
    auto result = substituteVariables("${DATABASE_URL}", envFrom({}));
    CPPUNIT_ASSERT_EQUAL(
        std::string("environment variable DATABASE_URL is not set (write ${DATABASE_URL:-default} to give a default)"),
        result.error);
  }

  void defaultUsedWhenUnsetOrEmpty() {
    CPPUNIT_ASSERT_EQUAL(std::string("8787"), substituteVariables("${PORT:-8787}", envFrom({})).value);
    CPPUNIT_ASSERT_EQUAL(std::string("8787"), substituteVariables("${PORT:-8787}", envFrom({{"PORT", ""}})).value);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), substituteVariables("${PORT:-8787}", envFrom({{"PORT", "1"}})).value);
    // Defaults may hold any text but '}', including ':' and '/'.
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite://var/crow-auth.db"),
                         substituteVariables("${DATABASE_URL:-sqlite://var/crow-auth.db}", envFrom({})).value);
  }

  void emptyDefaultGivesEmptyText() {
    auto result = substituteVariables("${SECRET:-}", envFrom({}));
    CPPUNIT_ASSERT_EQUAL(std::string(""), result.value);
    CPPUNIT_ASSERT(result.expanded);
    CPPUNIT_ASSERT(result.error.empty());
  }

  void variablesInsideLongerText() {
    auto env = envFrom({{"HOST", "example.org"}});
    CPPUNIT_ASSERT_EQUAL(std::string("http://example.org:8787/x"),
                         substituteVariables("http://${HOST:-localhost}:${PORT:-8787}/x", env).value);
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:8787"),
                         substituteVariables("http://${HOST:-localhost}:${PORT:-8787}", envFrom({})).value);
  }

  void nestedDefault() {
    CPPUNIT_ASSERT_EQUAL(std::string("b"), substituteVariables("${A:-${B:-x}}", envFrom({{"B", "b"}})).value);
    CPPUNIT_ASSERT_EQUAL(std::string("x"), substituteVariables("${A:-${B:-x}}", envFrom({})).value);
    CPPUNIT_ASSERT_EQUAL(std::string("a"), substituteVariables("${A:-${B:-x}}", envFrom({{"A", "a"}})).value);
  }

  void dollarDollarBraceIsALiteral() {
    auto result = substituteVariables("cost $${PRICE} and ${X:-y}", envFrom({}));
    CPPUNIT_ASSERT_EQUAL(std::string("cost ${PRICE} and y"), result.value);
    CPPUNIT_ASSERT_EQUAL(std::string("${A}"), substituteVariables("$${A}", envFrom({})).value);
    // The literal also works inside a default.
    CPPUNIT_ASSERT_EQUAL(std::string("${lit}"), substituteVariables("${A:-$${lit}}", envFrom({})).value);
  }

  void loneDollarIsKept() {
    CPPUNIT_ASSERT_EQUAL(std::string("pa$$word$"), substituteVariables("pa$$word$", envFrom({})).value);
    CPPUNIT_ASSERT_EQUAL(std::string("$PORT"), substituteVariables("$PORT", envFrom({{"PORT", "1"}})).value);
  }

  void unterminatedExpressionIsAnError() {
    auto result = substituteVariables("http://${HOST:-localhost", envFrom({}));
    CPPUNIT_ASSERT_EQUAL(std::string("unterminated \"${\" (write \"$${\" for a literal \"${\")"), result.error);
  }

  void invalidNamesAreErrors() {
    ASSERT_CONTAINS(substituteVariables("${1ABC}", envFrom({})).error, "invalid variable name in \"${1ABC}\"");
    ASSERT_CONTAINS(substituteVariables("${}", envFrom({})).error, "invalid variable name");
    ASSERT_CONTAINS(substituteVariables("${A-b}", envFrom({})).error, "expected ${A} or ${A:-default}");
    ASSERT_CONTAINS(substituteVariables("${A B}", envFrom({})).error, "expected ${A} or ${A:-default}");
  }

  void valuesAreNotExpandedTwice() {
    // A variable's value is data: a "${...}" inside it is not expanded again.
    auto result = substituteVariables("${A}", envFrom({{"A", "${B}"}, {"B", "no"}}));
    CPPUNIT_ASSERT_EQUAL(std::string("${B}"), result.value);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EnvSubstitutionTest);
