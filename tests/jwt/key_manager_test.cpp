// The jwks table: one key on a fresh database however many instances start at once, the newest
// live key signs, rotation retires, and rows written by Better Auth work unchanged.
#include "jwt_fixture.hpp"

#include "../crypto/independent_vectors.hpp"
#include "jwt/jwk.hpp"
#include "jwt/jwt_signer.hpp"
#include "jwt/key_manager.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <barrier>
#include <set>
#include <thread>

using namespace crow::host;
namespace tv = crow::test_vectors;

namespace {

KeyPolicy policyFor(JwtAlgorithm alg, int64_t rotationIntervalS = 0) {
  return KeyPolicy{alg, rotationIntervalS, PrivateKeyEncryption::Encrypted, tv::kBetterAuthSecret};
}

// The transcript's jwks row, exactly as the reference server stored it.
void insertBetterAuthRow(crow::Store& store) {
  store.create("jwks", {{"id", std::string(tv::kBetterAuthKid)},
                        {"publicKey", std::string(tv::kBetterAuthPublicKeyColumn)},
                        {"privateKey", std::string(tv::kBetterAuthPrivateKeyColumn)},
                        {"createdAt", *crow::parseIsoString("2026-11-28T17:44:21.952Z")},
                        {"expiresAt", crow::Value()},
                        {"alg", std::string("EdDSA")},
                        {"crv", std::string("Ed25519")}});
}

// Runs ensureLiveKey from `n` threads released at the same instant, each through `storeFor(i)`.
std::vector<std::string> ensureConcurrently(int n, const std::function<crow::Store&(int)>& storeFor,
                                            crow::Timestamp now) {
  std::barrier start(n);
  std::vector<std::string> chosen(n);
  std::vector<std::string> errors(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        auto keys = ensureLiveKey(storeFor(i), policyFor(JwtAlgorithm::EdDSA), now);
        const StoredKey* live = newestLiveKey(keys, JwtAlgorithm::EdDSA, now);
        chosen[i] = live ? live->id : "<none>";
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CPPUNIT_ASSERT_EQUAL(std::string(), e);
  return chosen;
}

}  // namespace

class KeyManagerTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(KeyManagerTest);
  CPPUNIT_TEST(eightInstancesStartingTogetherMakeOneKey);
  CPPUNIT_TEST(eightThreadsOfOneInstanceMakeOneKey);
  CPPUNIT_TEST(eightInstancesOnPostgresMakeOneKey);
  CPPUNIT_TEST(existingLiveKeyIsKeptAndNoLockRowRemains);
  CPPUNIT_TEST(newRowHasBetterAuthColumns);
  CPPUNIT_TEST(newestLiveKeyOfTheConfiguredAlgorithmSigns);
  CPPUNIT_TEST(expiredKeyIsReplacedOnce);
  CPPUNIT_TEST(rotationAddsNewestKeyAndRetiresTheOthers);
  CPPUNIT_TEST(betterAuthRowSignsTheTranscriptToken);
  CPPUNIT_TEST(wrongSecretIsAnErrorNamingTheKeyOnly);
  CPPUNIT_TEST(rowWithoutAlgColumnIsRecognised);
  CPPUNIT_TEST_SUITE_END();

 public:
  void eightInstancesStartingTogetherMakeOneKey() {
    jwt_test::SqliteDatabase database;
    std::vector<std::unique_ptr<crow::Backend>> backends;
    std::vector<std::shared_ptr<crow::Store>> instances;
    for (int i = 0; i < 8; ++i) instances.push_back(database.openAnotherInstance(backends));
    const auto chosen = ensureConcurrently(8, [&](int i) -> crow::Store& { return *instances[i]; },
                                           crow::Timestamp{jwt_test::kTranscriptIatMs});
    CPPUNIT_ASSERT_EQUAL(int64_t(1), database.store->count("jwks", {}));
    CPPUNIT_ASSERT_EQUAL(size_t(1), std::set<std::string>(chosen.begin(), chosen.end()).size());
    CPPUNIT_ASSERT_EQUAL(int64_t(0), database.store->count("crow_lock", {}));
  }

  // The same on PostgreSQL (READ COMMITTED, waits on the lock row's primary key), when
  // CROW_TEST_POSTGRES_URL names a database (tests/support/postgres.sh start); skipped otherwise.
  void eightInstancesOnPostgresMakeOneKey() {
    auto database = crow::test::TestDatabase::make("postgresql");
    if (!database.backend) return;
    database.open(2);
    auto store = database.migrateAndStore(jwt_test::coreTables());
    std::vector<std::unique_ptr<crow::Backend>> backends;
    std::vector<std::shared_ptr<crow::Store>> instances;
    for (int i = 0; i < 8; ++i) {
      backends.push_back(crow::test::loadBackend("postgresql"));
      crow::BackendOptions options;
      options.url = database.url;
      options.poolSize = 2;
      options.busyTimeoutMs = 20000;
      backends.back()->open(options);
      instances.push_back(backends.back()->store(jwt_test::coreTables()));
      readStoredKeys(*instances.back());
    }
    const auto chosen = ensureConcurrently(8, [&](int i) -> crow::Store& { return *instances[i]; },
                                           crow::Timestamp{jwt_test::kTranscriptIatMs});
    CPPUNIT_ASSERT_EQUAL(int64_t(1), store->count("jwks", {}));
    CPPUNIT_ASSERT_EQUAL(size_t(1), std::set<std::string>(chosen.begin(), chosen.end()).size());
    CPPUNIT_ASSERT_EQUAL(int64_t(0), store->count("crow_lock", {}));
  }

  void eightThreadsOfOneInstanceMakeOneKey() {
    for (int round = 0; round < 5; ++round) {  // the race window is narrow within one pool: try it often
      jwt_test::SqliteDatabase database;
      const auto chosen = ensureConcurrently(8, [&](int) -> crow::Store& { return *database.store; },
                                             crow::Timestamp{jwt_test::kTranscriptIatMs});
      CPPUNIT_ASSERT_EQUAL(int64_t(1), database.store->count("jwks", {}));
      CPPUNIT_ASSERT_EQUAL(size_t(1), std::set<std::string>(chosen.begin(), chosen.end()).size());
    }
  }

  void existingLiveKeyIsKeptAndNoLockRowRemains() {
    jwt_test::SqliteDatabase database;
    insertBetterAuthRow(*database.store);
    const crow::Timestamp now{jwt_test::kTranscriptIatMs};
    auto keys = ensureLiveKey(*database.store, policyFor(JwtAlgorithm::EdDSA), now);
    CPPUNIT_ASSERT_EQUAL(size_t(1), keys.size());
    CPPUNIT_ASSERT_EQUAL(std::string(tv::kBetterAuthKid), keys[0].id);
    // Another algorithm configured: a key for it is added, the EdDSA one stays.
    keys = ensureLiveKey(*database.store, policyFor(JwtAlgorithm::ES256), now);
    CPPUNIT_ASSERT_EQUAL(size_t(2), keys.size());
    CPPUNIT_ASSERT_EQUAL(int64_t(0), database.store->count("crow_lock", {}));
  }

  void newRowHasBetterAuthColumns() {
    jwt_test::SqliteDatabase database;
    const crow::Timestamp now{jwt_test::kTranscriptIatMs};
    const StoredKey key = insertNewKey(*database.store, policyFor(JwtAlgorithm::EdDSA, 3600), now);
    auto row = database.store->findOne("jwks", {crow::eq("id", key.id)});
    CPPUNIT_ASSERT(row);
    CPPUNIT_ASSERT_EQUAL(size_t(32), key.id.size());
    CPPUNIT_ASSERT_EQUAL(std::string("EdDSA"), *crow::asString(crow::field(*row, "alg")));
    CPPUNIT_ASSERT_EQUAL(std::string("Ed25519"), *crow::asString(crow::field(*row, "crv")));
    CPPUNIT_ASSERT(now == *crow::asTimestamp(crow::field(*row, "createdAt")));
    CPPUNIT_ASSERT(crow::Timestamp{now.epochMs + 3600000} == *crow::asTimestamp(crow::field(*row, "expiresAt")));
    const std::string publicKey = *crow::asString(crow::field(*row, "publicKey"));
    CPPUNIT_ASSERT_EQUAL(std::string("{\"crv\":\"Ed25519\",\"x\":"), publicKey.substr(0, 21));
    CPPUNIT_ASSERT(publicKey.find("\"d\"") == std::string::npos);
    // privateKey: a JSON string literal of hex, as Better Auth writes it.
    const std::string privateKey = *crow::asString(crow::field(*row, "privateKey"));
    CPPUNIT_ASSERT(privateKey.size() > 100 && privateKey.front() == '"' && privateKey.back() == '"');
    CPPUNIT_ASSERT(privateKey.find_first_not_of("0123456789abcdef", 1) == privateKey.size() - 1);

    const auto es = insertNewKey(*database.store, policyFor(JwtAlgorithm::RS256), now);
    auto rsRow = database.store->findOne("jwks", {crow::eq("id", es.id)});
    CPPUNIT_ASSERT(crow::isNull(crow::field(*rsRow, "crv")));
    CPPUNIT_ASSERT(crow::isNull(crow::field(*rsRow, "expiresAt")));
  }

  void newestLiveKeyOfTheConfiguredAlgorithmSigns() {
    const crow::Timestamp now{1000000};
    std::vector<StoredKey> keys(4);
    keys[0] = {"old", "EdDSA", "", "", {100}, std::nullopt};
    keys[1] = {"newer", "EdDSA", "", "", {200}, crow::Timestamp{2000000}};
    keys[2] = {"expired", "EdDSA", "", "", {300}, crow::Timestamp{1000000}};  // expiresAt == now: expired
    keys[3] = {"es", "ES256", "", "", {400}, std::nullopt};
    CPPUNIT_ASSERT_EQUAL(std::string("newer"), newestLiveKey(keys, JwtAlgorithm::EdDSA, now)->id);
    CPPUNIT_ASSERT_EQUAL(std::string("es"), newestLiveKey(keys, JwtAlgorithm::ES256, now)->id);
    CPPUNIT_ASSERT(newestLiveKey(keys, JwtAlgorithm::RS256, now) == nullptr);
  }

  void expiredKeyIsReplacedOnce() {
    jwt_test::SqliteDatabase database;
    const auto policy = policyFor(JwtAlgorithm::EdDSA, 60);
    crow::Timestamp now{jwt_test::kTranscriptIatMs};
    auto keys = ensureLiveKey(*database.store, policy, now);
    const std::string first = newestLiveKey(keys, JwtAlgorithm::EdDSA, now)->id;
    now.epochMs += 61000;
    std::vector<std::unique_ptr<crow::Backend>> backends;
    std::vector<std::shared_ptr<crow::Store>> instances;
    for (int i = 0; i < 8; ++i) {
      instances.push_back(database.openAnotherInstance(backends));
      readStoredKeys(*instances.back());  // warm up: statements prepared, so the instances really race
    }
    std::barrier start(8);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        ensureLiveKey(*instances[i], policy, now);
      });
    for (auto& t : threads) t.join();
    keys = readStoredKeys(*database.store);
    CPPUNIT_ASSERT_EQUAL(size_t(2), keys.size());
    const StoredKey* live = newestLiveKey(keys, JwtAlgorithm::EdDSA, now);
    CPPUNIT_ASSERT(live && live->id != first);
  }

  void rotationAddsNewestKeyAndRetiresTheOthers() {
    jwt_test::SqliteDatabase database;
    insertBetterAuthRow(*database.store);
    const crow::Timestamp now{jwt_test::kTranscriptIatMs};
    // Same millisecond as an existing key: the new one must still be the newest.
    insertNewKey(*database.store, policyFor(JwtAlgorithm::EdDSA), now);
    const StoredKey created = addKeyNow(*database.store, policyFor(JwtAlgorithm::EdDSA), now);
    auto keys = readStoredKeys(*database.store);
    CPPUNIT_ASSERT_EQUAL(size_t(3), keys.size());
    CPPUNIT_ASSERT_EQUAL(created.id, newestLiveKey(keys, JwtAlgorithm::EdDSA, now)->id);
    for (const auto& key : keys) {
      if (key.id == created.id) {
        CPPUNIT_ASSERT(!key.expiresAt);
      } else {
        CPPUNIT_ASSERT_MESSAGE(key.id + " was not retired", key.expiresAt && *key.expiresAt == now);
      }
    }
  }

  void betterAuthRowSignsTheTranscriptToken() {
    jwt_test::SqliteDatabase database;
    insertBetterAuthRow(*database.store);
    auto keys = readStoredKeys(*database.store);
    CPPUNIT_ASSERT_EQUAL(size_t(1), keys.size());
    auto key = loadPrivateKey(keys[0], policyFor(JwtAlgorithm::EdDSA));
    // Ed25519 is deterministic: same key, same header and payload bytes, same token.
    const std::string token = signJwt(tv::kBetterAuthTokenHeaderJson, tv::kBetterAuthTokenPayloadJson, key.get());
    CPPUNIT_ASSERT_EQUAL(std::string(tv::kBetterAuthToken), token);
  }

  void wrongSecretIsAnErrorNamingTheKeyOnly() {
    jwt_test::SqliteDatabase database;
    insertBetterAuthRow(*database.store);
    auto keys = readStoredKeys(*database.store);
    KeyPolicy policy = policyFor(JwtAlgorithm::EdDSA);
    policy.secret = "another-secret-0123456789abcdefghijklmnop";
    try {
      loadPrivateKey(keys[0], policy);
      CPPUNIT_FAIL("decrypted with the wrong secret");
    } catch (const std::exception& e) {
      const std::string message = e.what();
      CPPUNIT_ASSERT(message.find(tv::kBetterAuthKid) != std::string::npos);
      CPPUNIT_ASSERT(message.find("0b1be3") == std::string::npos);
      CPPUNIT_ASSERT(message.find(policy.secret) == std::string::npos);
    }
  }

  void rowWithoutAlgColumnIsRecognised() {
    jwt_test::SqliteDatabase database;
    database.store->create("jwks", {{"id", std::string("no-alg")},
                                    {"publicKey", std::string(tv::kNodeEs256PublicJwk)},
                                    {"privateKey", std::string("\"x\"")},
                                    {"createdAt", crow::Timestamp{1}}});
    auto keys = readStoredKeys(*database.store);
    CPPUNIT_ASSERT_EQUAL(std::string("ES256"), keys.at(0).alg);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(KeyManagerTest);
