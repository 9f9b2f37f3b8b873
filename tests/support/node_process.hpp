#pragma once
// Running `rtaudit serve` and `rtaudit worker` as real background processes in the tests of the DICOM
// node (issue 9), and talking to them with DCMTK's own peers (echoscu, storescu).

#include "tests/dicom/writer_fixtures.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace rtaudit::test {

/// A child process with its output in a log file; SIGKILLed when the object dies unless stopped before.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::filesystem::path& log) : log_(log) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(out);
  }
  ~Process() {
    if (pid_ > 0) kill(SIGKILL);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Sends `sig` and waits for the process; its wait status.
  int kill(int sig) {
    if (pid_ <= 0) return status_;
    ::kill(pid_, sig);
    return wait();
  }
  int wait() {
    if (pid_ <= 0) return status_;
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status_;
  }
  [[nodiscard]] bool running() {
    if (pid_ <= 0) return false;
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }
  [[nodiscard]] std::string log() const {
    std::ifstream in(log_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  int status_ = 0;
};

/// Polls `done` every 100 ms for up to `seconds`.
inline bool wait_until(const std::function<bool()>& done, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

/// A port for this test process's n-th node (n in 0..19): spread by process id so parallel test processes
/// differ. 0..9 are in 20000-39999, 10..19 (added for the tests with a third-party peer, which needs
/// ports of its own) in 40000-59999, with the same spread.
inline int test_port(int n) {
  const int spread = static_cast<int>(::getpid() % 2000) * 10;
  return n < 10 ? 20000 + spread + n : 40000 + spread + (n - 10);
}

inline ToolRun echoscu(int port, const std::string& extra = "") {
  return run_tool("echoscu -to 10 -ta 10 -td 10 " + extra + " localhost " + std::to_string(port));
}

/// Regular files below `dir`.
inline std::vector<std::filesystem::path> files_below(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> v;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec)) v.push_back(it->path());
  }
  return v;
}

/// The report.json files below `dir` (one per audited case and version of its inputs).
inline std::vector<std::filesystem::path> reports_below(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> v;
  for (const auto& f : files_below(dir)) {
    if (f.filename() == "report.json") v.push_back(f);
  }
  return v;
}

}  // namespace rtaudit::test
