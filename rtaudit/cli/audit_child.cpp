#include "rtaudit/cli/audit_child.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace rtaudit::cli {

namespace fs = std::filesystem;

namespace {

/// The reason a failed audit gave: its error lines (spdlog "[error]"), else its last line.
std::string failure_reason(const fs::path& log, int status) {
  std::ifstream in(log);
  std::string line, last, errors;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    last = line;
    if (line.find("error") != std::string::npos) errors += (errors.empty() ? "" : "; ") + line;
  }
  std::string why = !errors.empty() ? errors : last;
  if (why.size() > 600) why = why.substr(0, 600) + "...";
  std::string code;
  if (WIFSIGNALED(status)) code = fmt::format("the audit crashed (signal {})", WTERMSIG(status));
  else if (WIFEXITED(status)) code = fmt::format("the audit exited with status {}", WEXITSTATUS(status));
  return why.empty() ? code : code + ": " + why;
}

}  // namespace

std::string self_executable() {
  std::error_code ec;
  if (const fs::path exe = fs::read_symlink("/proc/self/exe", ec); !ec) return exe.string();
  return "/proc/self/exe";
}

int run_child(const std::vector<std::string>& argv, const fs::path& log, std::string* error) {
  // Everything the child needs is prepared before fork(): after it, only async-signal-safe calls.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (out < 0) {
    *error = fmt::format("cannot create {}: {}", log.string(), std::strerror(errno));
    return -1;
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    *error = fmt::format("cannot start {}: {}", argv[0], std::strerror(errno));
    ::close(out);
    return -1;
  }
  if (pid == 0) {
    // A worker killed with SIGKILL takes its audit with it: the case goes back to the queue whole.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const int in = ::open("/dev/null", O_RDONLY);
    if (in >= 0) ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(out, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

cohort::CaseRecord audit_in_child(const AuditChildOptions& options, const std::string& key, const std::string& input, const fs::path& case_out,
                                  const fs::path& log, const std::string& report_html) {
  std::vector<std::string> argv{options.self, "audit", input, "--out", case_out.string(), "-q"};
  if (options.no_dose) argv.push_back("--no-dose");
  if (!options.pseudonymize_key.empty()) argv.push_back("--pseudonymize"), argv.push_back(options.pseudonymize_key);
  if (options.verbose) argv.push_back("-v");
  std::string why;
  const int status = run_child(argv, log, &why);
  cohort::CaseRecord r;
  r.key = key;
  r.input = input;
  r.pseudonymized = !options.pseudonymize_key.empty();
  nlohmann::json report;
  const bool exited_ok = status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (exited_ok) {
    std::ifstream in(case_out / "report.json");
    report = nlohmann::json::parse(in, nullptr, false);
  }
  if (exited_ok && report.is_object()) {
    r.status = "ok";
    r.report_html = report_html;
    cohort::fill_from_report(r, report);
  } else {
    r.status = "failed";
    r.error = status < 0 ? why : exited_ok ? "report.json unreadable" : failure_reason(log, status);
    r.label = "(not audited)";
    r.institution = r.department = r.planner = r.month = "unknown";
  }
  return r;
}

}  // namespace rtaudit::cli
