// Child processes for end-to-end tests: run a command to completion with a timeout, or start a
// long-running one (crow-auth serve), read its output as it comes, signal it and wait for it.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace crow_test {

struct ProcessResult {
  int exitCode = -1;     ///< the exit status, or 128 + signal when it was killed
  bool timedOut = false;
  std::string out;
  std::string err;
};

/// Runs `argv` (argv[0] is a path, not searched in PATH) with `extraEnv` ("NAME=value") added to
/// this process's environment, and waits at most `timeoutMs`; a child still running then is
/// killed with SIGKILL.
ProcessResult runProcess(const std::vector<std::string>& argv, int timeoutMs,
                         const std::vector<std::string>& extraEnv = {});

/// A child that keeps running until the test stops it. The destructor kills it if still alive.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& extraEnv = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }
  /// Reads stdout until a line containing `needle` arrives (returns that line) or `timeoutMs`
  /// passes or the child closes stdout (returns "").
  std::string waitForLine(const std::string& needle, int timeoutMs);
  /// Sends a signal.
  void signal(int sig);
  /// Waits for the exit, collecting the rest of the output; kills it after `timeoutMs`.
  ProcessResult wait(int timeoutMs);
  /// Everything read from stdout / stderr so far.
  const std::string& out() const noexcept { return result_.out; }
  const std::string& err() const noexcept { return result_.err; }

 private:
  /// Reads whatever is available within `timeoutMs`; false when both pipes are closed.
  bool pump(int timeoutMs);

  pid_t pid_ = -1;
  int outFd_ = -1;
  int errFd_ = -1;
  size_t scanned_ = 0;
  bool exited_ = false;
  ProcessResult result_;
};

}  // namespace crow_test
