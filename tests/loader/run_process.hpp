// Runs a child process with a timeout and collects its output (for the end-to-end tests).
#pragma once

#include <string>
#include <vector>

namespace loader_test {

struct ProcessResult {
  int exitCode = -1;     ///< the exit status, or 128 + signal when it was killed
  bool timedOut = false;
  std::string out;
  std::string err;
};

/// Runs `argv` (argv[0] is a path, not searched in PATH) and waits at most `timeoutMs`; a child
/// still running then is killed with SIGKILL.
ProcessResult runProcess(const std::vector<std::string>& argv, int timeoutMs);

}  // namespace loader_test
