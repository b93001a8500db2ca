// crow-auth: parses the command line, then runs one verb. Any start-up failure is one line on
// stderr (`crow-auth: <what>`) and a non-zero exit: 1 for a failure, 2 for a usage error.
#include "app/app.hpp"
#include "cli/command_line.hpp"
#include "cli/outbox_command.hpp"
#include "config/app_config.hpp"
#include "crypto/scrypt_buffers.hpp"
#include "data/migrator.hpp"

#include "crow/abi.h"

#include <Poco/Version.h>

#include <algorithm>
#include <iostream>
#include <thread>

using namespace crow::host;

namespace {

// Messages must stay on one line: operators grep for them and log shippers split on newlines.
std::string oneLine(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

int fail(const std::string& message, int code = 1) {
  std::cerr << "crow-auth: " << oneLine(message) << std::endl;
  return code;
}

void printVersion() {
  std::cout << "crow-auth " << CROW_VERSION_STRING << "\n"
            << "sdk abi " << CROW_SDK_ABI_MAJOR << "." << CROW_SDK_ABI_MINOR << "\n"
            << "build signature " << CROW_BUILD_SIGNATURE(POCO_VERSION) << "\n";
}

void printPlugins(const std::vector<PluginReport>& reports) {
  if (reports.empty()) std::cout << "no plugins enabled\n";
  for (const auto& r : reports) {
    std::cout << r.id << " " << r.version << "  " << r.path << "\n";
    if (!r.dependsOn.empty()) {
      std::cout << "  depends on:";
      for (const auto& d : r.dependsOn) std::cout << " " << d;
      std::cout << "\n";
    }
    for (const auto& route : r.routes) std::cout << "  route " << route << "\n";
    for (const auto& hook : r.hooks) std::cout << "  hook  " << hook << "\n";
  }
}

int run(const CommandLine& cl) {
  AppConfig config = loadConfig(cl.configPath.empty() ? defaultConfigPath() : cl.configPath);
  for (const auto& warning : config.warnings) std::cerr << "crow-auth: warning: " << oneLine(warning) << "\n";
  App app(std::move(config));

  switch (cl.verb) {
    case Verb::Migrate: {
      app.loadLibraries(cl.dialect);
      app.declareSchemas();
      if (cl.dryRun) {
        auto steps = app.planMigrations(cl.dialect.empty());
        std::cout << renderDryRun(steps, app.dialect());
        return 0;
      }
      app.openDatabase();
      size_t applied = app.migrate();
      std::cout << (applied == 0 ? "database is up to date" : "applied " + std::to_string(applied) + " migration steps")
                << "\n";
      return 0;
    }
    case Verb::Plugins:
    case Verb::CheckConfig: {
      // Plugins are checked against a private in-memory database, so neither verb touches (or
      // needs) the real one.
      app.loadLibraries("sqlite");
      app.declareSchemas();
      app.openDatabase("sqlite::memory:");
      app.migrate();
      app.initPlugins();
      if (cl.verb == Verb::Plugins) {
        printPlugins(app.pluginReports());
      } else {
        std::cout << "config " << app.config().sourceFile << " is valid (" << app.pluginReports().size()
                  << " plugins)\n";
      }
      return 0;
    }
    case Verb::JwksRotate: {
      app.loadLibraries();
      app.declareSchemas();
      app.openDatabase();
      app.migrate();
      app.initPlugins();
      std::cout << "new signing key " << app.rotateJwks() << "\n";
      return 0;
    }
    case Verb::Outbox: {
      // Host tables only: no plugin runs, so a broken plugin cannot stop an operator's repair.
      app.loadLibraries();
      app.declareSchemas();
      app.openDatabase();
      app.migrate();
      return runOutboxCommand(cl.outbox, app.dataStore(), app.clock(), std::cout, std::cerr);
    }
    case Verb::Serve: {
      app.loadLibraries();
      app.declareSchemas();
      app.openDatabase();
      app.migrate();
      app.initPlugins();
      return app.serve();
    }
    case Verb::Version:
    case Verb::Help:
      break;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Before OpenSSL allocates anything. Room for as many scrypt buffers as hashes may run at once
  // by default (one per core), with headroom for a configured auth.emailAndPassword.hashConcurrency.
  installScryptBufferPool(2 * std::max(1u, std::thread::hardware_concurrency()));
  // Before any thread exists, so every thread inherits the mask and serve() can sigwait.
  blockTerminationSignals();
  CommandLine cl;
  try {
    cl = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    return fail(e.what(), 2);
  }
  if (cl.help || cl.verb == Verb::Help) {
    std::cout << helpText(cl.verb);
    return 0;
  }
  if (cl.verb == Verb::Version) {
    printVersion();
    return 0;
  }
  try {
    return run(cl);
  } catch (const std::exception& e) {
    return fail(e.what());
  } catch (...) {
    return fail("unexpected non-standard exception during start-up");
  }
}
