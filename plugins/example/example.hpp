// example.hpp - what the example plugin's source files share (not part of any public API).
#pragma once

#include "options.hpp"

#include <crow/context.hpp>
#include <crow/schema.hpp>

namespace example {

/// The plugin's id and version, as exported by CROW_PLUGIN and sent in X-Example-Plugin.
inline constexpr const char* kPluginId = "example";
inline constexpr const char* kPluginVersion = "1.0.0";

/// The table this plugin owns.
inline constexpr const char* kNoteTable = "exampleNote";

void declareSchema(crow::SchemaBuilder& schema);                          // schema.cpp
void registerRoutes(crow::InitContext& context, const Options& options);  // routes.cpp
void registerHooks(crow::InitContext& context, const Options& options);   // hooks.cpp

}  // namespace example
