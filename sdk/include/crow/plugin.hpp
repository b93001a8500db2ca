// crow/plugin.hpp - the base class of a plugin and the macro that exports it.
//
//   class Hello final : public crow::Plugin {
//     void init(crow::InitContext& ctx) override { ctx.route(crow::Method::Get, "/hello", ...); }
//   };
//   CROW_PLUGIN(Hello, "hello", "1.0.0")                 // no dependencies
//   CROW_PLUGIN(Orgs, "organization", "1.0.0", "core")   // depends on the plugin "core"
#pragma once

#include "crow/abi.h"
#include "crow/export.hpp"
#include "crow/context.hpp"
#include "crow/schema.hpp"

namespace crow {

/// One plugin instance per process. The host calls, in order: declareSchema (before migrations,
/// no database access), init (register routes and hooks; the database is migrated), and shutdown
/// (reverse dependency order, after the server stopped). Plugins are never unloaded.
class Plugin {
 public:
  virtual ~Plugin();
  /// Declares the tables and columns this plugin stores.
  virtual void declareSchema(SchemaBuilder& schema) {}
  /// Reads config, registers routes and hooks. Throw ConfigError for a bad config.
  virtual void init(InitContext& context) = 0;
  /// Stops background work. Must not throw.
  virtual void shutdown() noexcept {}
};

}  // namespace crow

/// Exports CLASS (a crow::Plugin with a default constructor) as plugin ID at VERSION; any further
/// arguments are the ids of plugins it depends on.
#define CROW_PLUGIN(CLASS, ID, VERSION, ...) \
  CROW_DESCRIPTOR_EXPORT_(CROW_KIND_PLUGIN, CLASS, ::crow::Plugin, ID, VERSION, __VA_ARGS__)
