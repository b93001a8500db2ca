// plugin.cpp - the example plugin's class and its export. Start a new plugin by copying this
// folder, renaming the id, and replacing schema.cpp, routes.cpp and hooks.cpp.
#include "example.hpp"

#include <crow/plugin.hpp>

namespace example {

class ExamplePlugin final : public crow::Plugin {
 public:
  void declareSchema(crow::SchemaBuilder& schema) override { example::declareSchema(schema); }

  void init(crow::InitContext& context) override {
    const Options options = Options::read(context.config());
    registerRoutes(context, options);
    registerHooks(context, options);
    context.logger().info("example plugin ready", {{"greeting", options.greeting}});
  }
};

}  // namespace example

// The id and version here are what the host checks and lists; no depends_on.
CROW_PLUGIN(example::ExamplePlugin, example::kPluginId, example::kPluginVersion)
