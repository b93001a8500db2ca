// Parsing of `crow-auth [VERB] [OPTIONS]`.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace crow::host {

enum class Verb { Serve, Migrate, Plugins, CheckConfig, Version, Help, JwksRotate, Outbox };

/// `crow-auth outbox list|replay ...`.
struct OutboxArgs {
  enum class Action { List, Replay };
  Action action = Action::List;
  std::string status = "all";  ///< list --status: pending, delivering, delivered, dead or all
  long limit = 50;             ///< list --limit
  bool json = false;           ///< list --json
  std::vector<std::string> ids;  ///< replay <id>...
  bool allDead = false;          ///< replay --all-dead
};

struct CommandLine {
  Verb verb = Verb::Serve;
  bool help = false;        ///< `--help` after a verb: that verb's help
  std::string configPath;   ///< empty: the default search (see defaultConfigPath)
  bool dryRun = false;      ///< migrate --dry-run
  std::string dialect;      ///< migrate --dry-run --dialect X: render for X without a database
  OutboxArgs outbox;        ///< Verb::Outbox
};

/// Parses argv. Throws std::invalid_argument with a one-line message for an unknown verb or
/// option, or an option missing its value.
CommandLine parseCommandLine(const std::vector<std::string>& args);

/// The help text of a verb (Verb::Help: the overview).
std::string helpText(Verb verb);

/// $CROW_AUTH_CONFIG, else ./config/crow-auth.yaml when it exists, else /etc/crow-auth/crow-auth.yaml.
std::string defaultConfigPath();

}  // namespace crow::host
