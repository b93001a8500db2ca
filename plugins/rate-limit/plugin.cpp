// plugin.cpp - the rate-limit plugin: reads its config, opens the chosen store and puts the
// limiter in front of every route as a request.before hook.
#include "database_store.hpp"
#include "limiter.hpp"
#include "memory_store.hpp"
#include "options.hpp"
#include "redis_store.hpp"

#include <crow/plugin.hpp>

#include <memory>

namespace crow::rate_limit {

inline constexpr const char* kPluginId = "rate-limit";
inline constexpr const char* kPluginVersion = "1.0.0";

/// Runs before other request hooks, so a throttled client is turned away before any of them
/// (service-key checks included) does work for it.
inline constexpr int kHookPriority = -1000;

namespace {

std::unique_ptr<LimitStore> makeStore(const Options& options, crow::InitContext& context) {
  switch (options.store) {
    case StoreKind::Memory: return std::make_unique<MemoryStore>(options.memory);
    case StoreKind::Database: return std::make_unique<DatabaseStore>(context.store());
    case StoreKind::Redis: return makeRedisStore(options.redis);
  }
  return std::make_unique<MemoryStore>(options.memory);
}

const char* presetRules(const Options& options) { return options.preset == "better-auth" ? "better-auth" : "service"; }

}  // namespace

class RateLimitPlugin final : public crow::Plugin {
 public:
  // The table exists whichever store is chosen, as Better Auth's schema has it; it stays empty
  // unless `store: database`.
  void declareSchema(crow::SchemaBuilder& schema) override { declareRateLimitTable(schema); }

  void init(crow::InitContext& context) override {
    const Options options = Options::read(context.config(), context.settings().basePath);
    LimiterSettings settings{context.settings().basePath, options.storeDownStatus, options.storeDownRetryAfterSeconds,
                             options.account};
    auto limiter = std::make_shared<Limiter>(RuleSet(options.rules), makeStore(options, context), std::move(settings),
                                             context.logger());
    const crow::Clock& clock = context.clock();
    context.onRequest(
        crow::HookPoint::RequestBefore,
        [limiter, &clock](crow::Request& request, crow::Response&) { limiter->check(request, clock.now().epochMs); },
        {.priority = kHookPriority, .pathPrefix = {}});
    context.logger().info("rate limiting on", {{"store", limiter->store().kind()},
                                               {"preset", presetRules(options)},
                                               {"rules", std::to_string(options.rules.size())}});
    if (options.account.enabled)
      context.logger().info("per-account sign-in throttle on",
                            {{"window_s", std::to_string(options.account.windowMs / 1000)},
                             {"max", std::to_string(options.account.max)},
                             {"attempts_before_throttle", std::to_string(options.account.unpacedPerWindow())},
                             {"soft_interval_s", std::to_string(options.account.softIntervalMs / 1000)}});
  }
};

}  // namespace crow::rate_limit

CROW_PLUGIN(crow::rate_limit::RateLimitPlugin, crow::rate_limit::kPluginId, crow::rate_limit::kPluginVersion)
