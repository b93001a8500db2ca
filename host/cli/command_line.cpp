#include "cli/command_line.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace crow::host {

namespace {

std::optional<Verb> parseVerb(const std::string& word) {
  if (word == "serve") return Verb::Serve;
  if (word == "migrate") return Verb::Migrate;
  if (word == "plugins") return Verb::Plugins;
  if (word == "check-config") return Verb::CheckConfig;
  if (word == "version") return Verb::Version;
  if (word == "help") return Verb::Help;
  if (word == "jwks") return Verb::JwksRotate;
  if (word == "outbox") return Verb::Outbox;
  return std::nullopt;
}

constexpr const char* kOutboxUsage =
    "usage: crow-auth outbox list [--status dead|pending|delivering|delivered|all] [--limit N] [--json] | "
    "crow-auth outbox replay ID... | --all-dead  [--config FILE]";

// The options of `outbox list` and `outbox replay`; false for an option that is not one of them.
template <typename ValueOf>
bool parseOutboxOption(OutboxArgs& outbox, const std::string& a, ValueOf&& valueOf) {
  const bool list = outbox.action == OutboxArgs::Action::List;
  if (list && a == "--status") {
    outbox.status = valueOf(a);
  } else if (list && a == "--limit") {
    const std::string text = valueOf(a);
    size_t used = 0;
    long n = 0;
    try {
      n = std::stol(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || n < 1 || n > 100000)
      throw std::invalid_argument("--limit expects a number from 1 to 100000, got '" + text + "'");
    outbox.limit = n;
  } else if (list && a == "--json") {
    outbox.json = true;
  } else if (!list && a == "--all-dead") {
    outbox.allDead = true;
  } else if (!list && !a.empty() && a[0] != '-') {
    outbox.ids.push_back(a);
  } else {
    return false;
  }
  return true;
}

void checkOutboxArgs(const OutboxArgs& outbox) {
  if (outbox.action == OutboxArgs::Action::List) {
    const std::string& s = outbox.status;
    if (s != "all" && s != "pending" && s != "delivering" && s != "delivered" && s != "dead")
      throw std::invalid_argument("--status expects dead, pending, delivering, delivered or all, got '" + s + "'");
    return;
  }
  if (outbox.allDead && !outbox.ids.empty())
    throw std::invalid_argument("outbox replay takes message ids or --all-dead, not both");
  if (!outbox.allDead && outbox.ids.empty())
    throw std::invalid_argument("outbox replay needs message ids or --all-dead");
}

}  // namespace

CommandLine parseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  size_t i = 0;
  if (!args.empty() && !args[0].empty() && args[0][0] != '-') {
    auto verb = parseVerb(args[0]);
    if (!verb) throw std::invalid_argument("unknown command '" + args[0] + "' (try crow-auth --help)");
    cl.verb = *verb;
    i = 1;
    if (cl.verb == Verb::JwksRotate) {
      // `jwks` has one action today; naming it keeps room for `jwks list` later.
      if (args.size() < 2 || (args[1] != "rotate" && args[1] != "--help" && args[1] != "-h"))
        throw std::invalid_argument("usage: crow-auth jwks rotate [--config FILE]");
      if (args[1] == "rotate") i = 2;
    }
    if (cl.verb == Verb::Outbox) {
      if (args.size() < 2 || (args[1] != "list" && args[1] != "replay" && args[1] != "--help" && args[1] != "-h"))
        throw std::invalid_argument(kOutboxUsage);
      if (args[1] == "list") i = 2;
      if (args[1] == "replay") {
        cl.outbox.action = OutboxArgs::Action::Replay;
        i = 2;
      }
    }
  }
  auto valueOf = [&](const std::string& option) -> std::string {
    if (i + 1 >= args.size()) throw std::invalid_argument("option " + option + " needs a value");
    return args[++i];
  };
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      cl.help = true;
    } else if (a == "--config" || a == "-c") {
      cl.configPath = valueOf(a);
    } else if (a.rfind("--config=", 0) == 0) {
      cl.configPath = a.substr(9);
    } else if (a == "--dry-run" && cl.verb == Verb::Migrate) {
      cl.dryRun = true;
    } else if (a == "--dialect" && cl.verb == Verb::Migrate) {
      cl.dialect = valueOf(a);
    } else if (cl.verb == Verb::Outbox && parseOutboxOption(cl.outbox, a, valueOf)) {
    } else if (a == "--version" && i == 0) {
      cl.verb = Verb::Version;
    } else {
      throw std::invalid_argument("unknown option '" + a + "' (try crow-auth --help)");
    }
  }
  if (cl.verb == Verb::Outbox && !cl.help) checkOutboxArgs(cl.outbox);
  if (!cl.dialect.empty() && !cl.dryRun) throw std::invalid_argument("--dialect only goes with migrate --dry-run");
  if (cl.help && cl.verb == Verb::Serve && (args.empty() || args[0] != "serve")) cl.verb = Verb::Help;
  return cl;
}

std::string helpText(Verb verb) {
  switch (verb) {
    case Verb::Serve:
      return "usage: crow-auth [serve] [--config FILE]\n\n"
             "Loads the config, the database backend and the plugins, applies additive migrations,\n"
             "and serves HTTP until SIGTERM or SIGINT; then stops accepting, lets in-flight requests\n"
             "finish (server.shutdownGraceMs) and exits 0.\n";
    case Verb::Migrate:
      return "usage: crow-auth migrate [--dry-run [--dialect sqlite|postgresql]] [--config FILE]\n\n"
             "Applies the additive schema changes (create table, add column, create index) that the\n"
             "core and the enabled plugins declare, and records them in crow_schema_migrations.\n"
             "--dry-run prints the SQL instead of running it. With --dialect, it renders the whole\n"
             "schema for that dialect without connecting to any database.\n";
    case Verb::Plugins:
      return "usage: crow-auth plugins [--config FILE]\n\n"
             "Lists each loaded plugin in start-up order: id, version, file, routes and hooks.\n";
    case Verb::CheckConfig:
      return "usage: crow-auth check-config [--config FILE]\n\n"
             "Validates the config, loads the backend and every plugin and runs their start-up\n"
             "checks against an in-memory database, then exits: 0 when all is well.\n";
    case Verb::JwksRotate:
      return "usage: crow-auth jwks rotate [--config FILE]\n\n"
             "Adds a new JWT signing key and makes it current. Tokens signed with older keys keep\n"
             "verifying: their public keys stay in /jwks for auth.jwt.gracePeriod. Running servers\n"
             "pick the new key up when they next reload keys (see the jwt section of the README).\n";
    case Verb::Outbox:
      return "usage: crow-auth outbox list [--status dead|pending|delivering|delivered|all] [--limit N] [--json]\n"
             "                             [--config FILE]\n"
             "       crow-auth outbox replay ID... | --all-dead [--config FILE]\n\n"
             "list shows the newest messages of the outbox (default: all states, 50 rows): id,\n"
             "destination service, event, aggregate, status, attempts, last error and next attempt.\n"
             "Payloads and idempotency keys are never shown. --json prints one JSON array instead.\n\n"
             "replay makes dead messages pending again: attempts 0, due now, with the same id and\n"
             "idempotency key (receivers deduplicate by it). A running server delivers them on its\n"
             "next pass. Exit status: 0 done, 1 an id is unknown or not dead, 2 usage error.\n";
    case Verb::Version:
      return "usage: crow-auth version\n\nPrints the version, the SDK ABI and the build signature plugins must match.\n";
    case Verb::Help:
      break;
  }
  return "usage: crow-auth [COMMAND] [OPTIONS]\n\n"
         "commands:\n"
         "  serve          serve HTTP (the default)\n"
         "  migrate        apply or print (--dry-run) schema migrations\n"
         "  plugins        list loaded plugins with their routes and hooks\n"
         "  check-config   validate config, backend and plugins, then exit\n"
         "  jwks rotate    add a new JWT signing key\n"
         "  outbox         list outbox messages, replay dead ones\n"
         "  version        print version information\n\n"
         "options:\n"
         "  -c, --config FILE   config file (default: $CROW_AUTH_CONFIG, ./config/crow-auth.yaml,\n"
         "                      /etc/crow-auth/crow-auth.yaml)\n"
         "  -h, --help          help for a command: crow-auth migrate --help\n";
}

std::string defaultConfigPath() {
  if (const char* env = std::getenv("CROW_AUTH_CONFIG"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::exists("config/crow-auth.yaml", ec)) return "config/crow-auth.yaml";
  return "/etc/crow-auth/crow-auth.yaml";
}

}  // namespace crow::host
