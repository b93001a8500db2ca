// The `config:` block (options.hpp) and the blockFile reader (blocklist_file.hpp): defaults,
// extension and allow entries, the file format, and start-up errors that name what is wrong.
#include "blocklist_file.hpp"
#include "fakes.hpp"
#include "options.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <fstream>

#include <stdlib.h>
#include <sys/stat.h>

using email_domain_blocklist::buildPolicy;
using email_domain_blocklist::DomainPolicy;
using email_domain_blocklist::Options;
using email_domain_blocklist::readBlocklistFile;
using email_domain_blocklist_test::FakeConfig;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "edb-test-XXXXXX").string();
    CPPUNIT_ASSERT(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

DomainPolicy policyFor(const FakeConfig& config) { return buildPolicy(Options::read(config), config); }

// The ConfigError text of building a policy from `config`, or "" when it built.
std::string startUpError(const FakeConfig& config) {
  try {
    (void)policyFor(config);
  } catch (const crow::ConfigError& e) {
    return e.what();
  }
  return {};
}

void assertContains(const std::string& text, const std::string& part) {
  CPPUNIT_ASSERT_MESSAGE("\"" + text + "\" lacks \"" + part + "\"", text.find(part) != std::string::npos);
}

bool blocks(const DomainPolicy& policy, const std::string& email) { return !policy.check(email).allowed; }

}  // namespace

class OptionsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OptionsTest);
  CPPUNIT_TEST(defaultsUseTheBuiltInList);
  CPPUNIT_TEST(defaultListCanBeSwitchedOff);
  CPPUNIT_TEST(blockExtendsAndAllowWins);
  CPPUNIT_TEST(blankListItemsAreSkipped);
  CPPUNIT_TEST(unknownKeysStopStartUp);
  CPPUNIT_TEST(wrongTypesStopStartUp);
  CPPUNIT_TEST(badEntriesNameKeyAndEntry);
  CPPUNIT_TEST(blockFileAddsItsDomains);
  CPPUNIT_TEST(blockFileFormat);
  CPPUNIT_TEST(missingBlockFileNamesTheFile);
  CPPUNIT_TEST(unreadableBlockFilesNameTheReason);
  CPPUNIT_TEST(badBlockFileLineNamesFileAndLine);
  CPPUNIT_TEST(emptyBlockFilePathIsRefused);
  CPPUNIT_TEST_SUITE_END();

 public:
  void defaultsUseTheBuiltInList() {
    const FakeConfig config;
    const Options options = Options::read(config);
    CPPUNIT_ASSERT(options.useDefaultList);
    CPPUNIT_ASSERT(options.block.empty() && options.allow.empty() && !options.blockFile);
    const DomainPolicy policy = buildPolicy(options, config);
    CPPUNIT_ASSERT(blocks(policy, "a@gmail.com"));
    CPPUNIT_ASSERT(blocks(policy, "a@yahoo.co.uk"));
    CPPUNIT_ASSERT(!blocks(policy, "a@acme.example"));
    CPPUNIT_ASSERT(policy.blocked.size() > 50);
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), policy.allowed.size());
  }

  void defaultListCanBeSwitchedOff() {
    FakeConfig config;
    config.set("useDefaultList", "false").set("block", std::vector<std::string>{"blocked.example"});
    const DomainPolicy policy = policyFor(config);
    CPPUNIT_ASSERT(!blocks(policy, "a@gmail.com"));
    CPPUNIT_ASSERT(blocks(policy, "a@blocked.example"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), policy.blocked.size());
  }

  void blockExtendsAndAllowWins() {
    FakeConfig config;
    config.set("block", std::vector<std::string>{"Blocked.Example", "acme.*"})
        .set("allow", std::vector<std::string>{"partner.gmail.com", "acme.co.jp"});
    const DomainPolicy policy = policyFor(config);
    CPPUNIT_ASSERT(blocks(policy, "a@gmail.com"));        // the default list is still on
    CPPUNIT_ASSERT(blocks(policy, "a@blocked.example"));
    CPPUNIT_ASSERT(blocks(policy, "a@x.blocked.example"));
    CPPUNIT_ASSERT(blocks(policy, "a@acme.com"));
    CPPUNIT_ASSERT(!blocks(policy, "a@acme.co.jp"));
    CPPUNIT_ASSERT(!blocks(policy, "a@partner.gmail.com"));
    CPPUNIT_ASSERT(blocks(policy, "a@other.gmail.com"));
  }

  void blankListItemsAreSkipped() {
    FakeConfig config;
    config.set("block", std::vector<std::string>{"", "  ", "blocked.example"}).set("allow", "");
    const Options options = Options::read(config);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), options.block.size());
    CPPUNIT_ASSERT(options.allow.empty());
  }

  void unknownKeysStopStartUp() {
    FakeConfig config;
    config.set("blockfile", "/tmp/x");
    const std::string error = startUpError(config);
    assertContains(error, "blockfile");
    assertContains(error, "unknown key");
  }

  void wrongTypesStopStartUp() {
    FakeConfig config;
    config.set("useDefaultList", "maybe");
    assertContains(startUpError(config), "useDefaultList");
    FakeConfig list;
    list.set("blockFile", std::vector<std::string>{"a", "b"});
    assertContains(startUpError(list), "blockFile");
  }

  void badEntriesNameKeyAndEntry() {
    FakeConfig block;
    block.set("block", std::vector<std::string>{"ok.example", "*.gmail.com"});
    std::string error = startUpError(block);
    assertContains(error, "block");
    assertContains(error, "\"*.gmail.com\"");
    FakeConfig allow;
    allow.set("allow", std::vector<std::string>{"someone@corp.example"});
    error = startUpError(allow);
    assertContains(error, "config.allow");
    assertContains(error, "\"someone@corp.example\"");
    FakeConfig idn;
    idn.set("block", std::vector<std::string>{"xn--zz.com"});
    assertContains(startUpError(idn), "\"xn--zz.com\" is not a valid internationalised domain name");
  }

  void blockFileAddsItsDomains() {
    TempDir dir;
    const std::string file = dir.write("blocked.txt", "fromfile.example\nlist.*\n");
    FakeConfig config;
    config.set("useDefaultList", "false").set("blockFile", file).set("allow", std::vector<std::string>{"list.co.jp"});
    const Options options = Options::read(config);
    CPPUNIT_ASSERT_EQUAL(file, *options.blockFile);
    const DomainPolicy policy = buildPolicy(options, config);
    CPPUNIT_ASSERT(blocks(policy, "a@fromfile.example"));
    CPPUNIT_ASSERT(blocks(policy, "a@sub.fromfile.example"));
    CPPUNIT_ASSERT(blocks(policy, "a@list.com"));
    CPPUNIT_ASSERT(!blocks(policy, "a@list.co.jp"));  // allow wins over file entries too
    CPPUNIT_ASSERT(!blocks(policy, "a@gmail.com"));
  }

  void blockFileFormat() {
    TempDir dir;
    const std::string file = dir.write("blocked.txt",
                                       "\xEF\xBB\xBF# disposable providers\n"
                                       "\n"
                                       "first.example\r\n"
                                       "   second.example   # trailing comment\n"
                                       "\t\n"
                                       "#commented.example\n"
                                       "THIRD.EXAMPLE.\n"
                                       "b\u00FCcher.example\n"
                                       "last.example");  // no final newline
    const auto entries = readBlocklistFile(file);
    CPPUNIT_ASSERT_EQUAL(std::size_t(5), entries.size());
    CPPUNIT_ASSERT_EQUAL(std::string("first.example"), entries[0].text);
    CPPUNIT_ASSERT_EQUAL(3, entries[0].line);
    CPPUNIT_ASSERT_EQUAL(std::string("second.example"), entries[1].text);
    CPPUNIT_ASSERT_EQUAL(4, entries[1].line);
    CPPUNIT_ASSERT_EQUAL(std::string("THIRD.EXAMPLE."), entries[2].text);
    CPPUNIT_ASSERT_EQUAL(7, entries[2].line);
    CPPUNIT_ASSERT_EQUAL(std::string("last.example"), entries[4].text);
    CPPUNIT_ASSERT_EQUAL(9, entries[4].line);

    FakeConfig config;
    config.set("useDefaultList", "false").set("blockFile", file);
    const DomainPolicy policy = policyFor(config);
    for (const char* email : {"a@first.example", "a@second.example", "a@third.example", "a@xn--bcher-kva.example",
                              "a@last.example"})
      CPPUNIT_ASSERT_MESSAGE(email, blocks(policy, email));
    CPPUNIT_ASSERT(!blocks(policy, "a@commented.example"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(5), policy.blocked.size());

    // An empty file (only comments) blocks nothing and is fine.
    CPPUNIT_ASSERT(readBlocklistFile(dir.write("empty.txt", "# nothing yet\n\n")).empty());
  }

  void missingBlockFileNamesTheFile() {
    TempDir dir;
    const std::string missing = dir.path() + "/no-such-list.txt";
    FakeConfig config;
    config.set("blockFile", missing);
    // Reading options succeeds; building the policy (at init) fails with the file and the reason.
    CPPUNIT_ASSERT_NO_THROW(Options::read(config));
    const std::string error = startUpError(config);
    assertContains(error, "config.blockFile");
    assertContains(error, missing);
    assertContains(error, "No such file or directory");
  }

  void unreadableBlockFilesNameTheReason() {
    TempDir dir;
    FakeConfig directory;
    directory.set("blockFile", dir.path());
    std::string error = startUpError(directory);
    assertContains(error, dir.path());
    assertContains(error, "is a directory");

    FakeConfig device;
    device.set("blockFile", "/dev/zero");
    assertContains(startUpError(device), "\"/dev/zero\": is not a regular file");

    // A file the process may not read (only meaningful when not running as root).
    const std::string locked = dir.write("locked.txt", "x.example\n");
    ::chmod(locked.c_str(), 0);
    if (::geteuid() != 0) {
      FakeConfig config;
      config.set("blockFile", locked);
      error = startUpError(config);
      assertContains(error, locked);
      assertContains(error, "Permission denied");
    }
  }

  void badBlockFileLineNamesFileAndLine() {
    TempDir dir;
    const std::string file = dir.write("blocked.txt", "ok.example\n# fine\n*.bad.example\n");
    FakeConfig config;
    config.set("blockFile", file);
    std::string error = startUpError(config);
    assertContains(error, file + ":3: \"*.bad.example\"");

    const std::string twoWords = dir.write("two.txt", "one.example two.example\n");
    FakeConfig words;
    words.set("blockFile", twoWords);
    error = startUpError(words);
    assertContains(error, twoWords + ":1:");
    assertContains(error, "one domain per line");

    const std::string garbage = dir.write("garbage.txt", "ok.example\n\xFF\xFE\x01\n");
    FakeConfig binary;
    binary.set("blockFile", garbage);
    assertContains(startUpError(binary), garbage + ":2:");
  }

  void emptyBlockFilePathIsRefused() {
    FakeConfig config;
    config.set("blockFile", "");
    assertContains(startUpError(config), "blockFile: must not be empty");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OptionsTest);
