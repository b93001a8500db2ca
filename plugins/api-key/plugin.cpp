// plugin.cpp - the api-key plugin: @better-auth/api-key 1.7's keys over crow-auth's SDK, plus the
// service's internal verify and system-token routes.
#include "service.hpp"

#include <crow/error.hpp>
#include <crow/plugin.hpp>

#include <memory>

namespace apikey {

class ApiKeyPlugin final : public crow::Plugin {
 public:
  // Exactly Better Auth's table (CONTRACT.md §12) so its database opens in place.
  void declareSchema(crow::SchemaBuilder& schema) override {
    using crow::FieldType;
    schema.table(kTable)
        .field("id", FieldType::Id).primaryKey()
        .field("configId", FieldType::String).required().index().maxLength(191)
        .field("name", FieldType::String)
        .field("start", FieldType::String)
        .field("referenceId", FieldType::String).required().index().maxLength(191)
        .field("prefix", FieldType::String)
        .field("key", FieldType::String).required().index().maxLength(191).notReturned().notInput()
        .field("refillInterval", FieldType::Integer)
        .field("refillAmount", FieldType::Integer)
        .field("lastRefillAt", FieldType::Timestamp)
        .field("enabled", FieldType::Boolean)
        .field("rateLimitEnabled", FieldType::Boolean)
        .field("rateLimitTimeWindow", FieldType::Integer)
        .field("rateLimitMax", FieldType::Integer)
        .field("requestCount", FieldType::Integer)
        .field("remaining", FieldType::Integer)
        .field("lastRequest", FieldType::Timestamp)
        .field("expiresAt", FieldType::Timestamp)
        .field("createdAt", FieldType::Timestamp).required()
        .field("updatedAt", FieldType::Timestamp).required()
        .field("permissions", FieldType::String)
        .field("metadata", FieldType::String);
  }

  void init(crow::InitContext& context) override {
    service_ = std::make_unique<Service>(Service{context.store(), context.clock(), context.sessions(), context.logger(),
                                                 context.tokenSigner(), Options::read(context.config())});
    service_->organizationsAvailable = memberTableExists(context.store());
    // The host keeps the context for the life of the process.
    service_->inboundCaller = [&context](std::string_view key) { return context.inboundCaller(key); };
    service_->usage = std::make_unique<UsageBatcher>(context.store(), context.logger(), service_->options.usageFlushMs);
    service_->verifyCache = std::make_unique<VerifyCache>(service_->options.verifyCacheMs);
    if (service_->verifyCache->enabled()) dropCachedRecordsOnWrites(context, *service_->verifyCache);
    service_->verifier = std::make_unique<Verifier>(context.store(), context.clock(), service_->options,
                                                    *service_->usage, *service_->verifyCache);
    registerLifecycleRoutes(context, *service_);
    registerVerifyRoutes(context, *service_);
    if (service_->options.enableSessionForAPIKeys) registerSessionSource(context, *service_);
    service_->usage->start();
    context.logger().info("api-key plugin ready",
                          {{"sessionForApiKeys", service_->options.enableSessionForAPIKeys ? "on" : "off"},
                           {"organizationKeys", service_->organizationsAvailable ? "on" : "off"},
                           {"systemTokens", service_->signer ? "on" : "off"},
                           {"perKeyRateLimit", service_->options.rateLimit.enabled ? "on" : "off"},
                           {"verifyCacheMs", std::to_string(service_->options.verifyCacheMs)}});
  }

  void shutdown() noexcept override {
    if (service_ && service_->usage) service_->usage->stop();
  }

 private:
  // Every committed write to the table, whoever makes it, drops what it makes stale. After-hooks
  // run before the writer answers, so a client that saw its update or delete answered never gets
  // a verify served from the record before it.
  static void dropCachedRecordsOnWrites(crow::InitContext& context, VerifyCache& cache) {
    auto forget = [&cache](crow::DataChange& change) { cache.forget(change.row); };
    context.onData(crow::HookPoint::UpdateAfter, kTable, forget);
    context.onData(crow::HookPoint::DeleteAfter, kTable, forget);
  }

  // The organization plugin declares `member`; without it the store does not know the table.
  static bool memberTableExists(crow::Store& store) {
    try {
      store.count("member", {crow::eq("id", std::string())});
      return true;
    } catch (const crow::DatabaseError& e) {
      // Unreachable database at start: assume the table is there; requests will tell.
      return e.kind() == crow::DatabaseError::Kind::Unavailable;
    }
  }

  std::unique_ptr<Service> service_;
};

}  // namespace apikey

CROW_PLUGIN(apikey::ApiKeyPlugin, apikey::kPluginId, apikey::kPluginVersion)
