#include "prospect_import/config_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cerrno>

#include "prospect_import/api_base.h"
#include "prospect_import/arg_check.h"
#include "prospect_import/file_mode.h"
#include "prospect_import/os_error.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_max_config_size = 1 << 20;  // a config file is a few lines
constexpr int k_max_concurrency = 64;               // as --concurrency

const std::vector<std::string> k_keys = {"api_base",   "account_sid", "auth_token_file",
                                         "auth_token", "program",     "concurrency",
                                         "ledger",     "report_dir"};

Error config_error(std::string message) { return Error{ExitCode::config, std::move(message)}; }

// What one table is read with.
struct Reading {
  const std::string& path;
  const std::optional<std::string>& home;
  std::vector<std::string>& warnings;
};

std::string at(const Reading& r, const toml::source_region& where) {
  return r.path + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
}

std::string expand_home(const std::string& value, const std::optional<std::string>& home) {
  if (home && !home->empty() && (value == "~" || value.starts_with("~/")))
    return *home + value.substr(1);
  return value;
}

Result<std::string> string_of(const Reading& r, const toml::key& key, const toml::node& value) {
  if (const auto* s = value.as_string()) return s->get();
  return config_error(at(r, value.source()) + ": " + std::string(key.str()) + " must be a string");
}

// program = 1001 and program = "1001" mean the same.
Result<std::string> program_of(const Reading& r, const toml::key& key, const toml::node& value) {
  if (const auto* i = value.as_integer()) return std::to_string(i->get());
  if (value.is_string()) return string_of(r, key, value);
  return config_error(at(r, value.source()) + ": program must be a string or an integer");
}

Result<int> concurrency_of(const Reading& r, const toml::node& value) {
  const auto* i = value.as_integer();
  if (!i || i->get() < 1 || i->get() > k_max_concurrency) {
    return config_error(at(r, value.source()) + ": concurrency must be an integer from 1 to " +
                        std::to_string(k_max_concurrency));
  }
  return static_cast<int>(i->get());
}

Status read_string_key(const Reading& r, const toml::key& key, const toml::node& value,
                       ConfigSettings& s) {
  auto text = string_of(r, key, value);
  if (!text) return text.error();
  const std::string k(std::string(key.str()));
  if (k == "api_base") {
    if (auto problem = check_api_base(*text))
      return config_error(at(r, value.source()) + ": api_base: " + *problem);
    s.api_base = *text;
  } else if (k == "account_sid") {
    s.account_sid = *text;
  } else if (k == "auth_token_file") {
    s.auth_token_file = expand_home(*text, r.home);
    s.auth_token.reset();  // a profile's token file replaces the top level's token
  } else if (k == "auth_token") {
    Secret token(std::string(trim(*text)));
    if (token.empty()) return config_error(at(r, value.source()) + ": auth_token is empty");
    s.auth_token = std::move(token);
    s.auth_token_file.reset();
  } else if (k == "ledger") {
    s.ledger = expand_home(*text, r.home);
  } else {
    s.report_dir = expand_home(*text, r.home);
  }
  return {};
}

Status read_key(const Reading& r, const toml::key& key, const toml::node& value,
                ConfigSettings& s) {
  const std::string k(std::string(key.str()));
  if (k == "program") {
    auto program = program_of(r, key, value);
    if (!program) return program.error();
    s.program = *program;
  } else if (k == "concurrency") {
    auto n = concurrency_of(r, value);
    if (!n) return n.error();
    s.concurrency = *n;
  } else {
    return read_string_key(r, key, value, s);
  }
  return {};
}

// Every key of one table (the top level without its profiles, or one
// profile) into s; the origin of each is `origin`.
Status read_table(const Reading& r, const toml::table& table, const std::string& origin,
                  ConfigSettings& s) {
  if (table.contains("auth_token") && table.contains("auth_token_file")) {
    return config_error(at(r, table.get("auth_token")->source()) +
                        ": auth_token and auth_token_file are both given; keep one");
  }
  for (const auto& [key, value] : table) {
    if (origin == r.path && std::string(key.str()) == "profiles") continue;
    if (std::find(k_keys.begin(), k_keys.end(), std::string(key.str())) == k_keys.end()) {
      std::vector<std::string> names = k_keys;
      if (origin == r.path) names.push_back("profiles");
      r.warnings.push_back(at(r, key.source()) + ": unknown key " + std::string(key.str()) +
                           did_you_mean(std::string(key.str()), names) + " (it is ignored)");
      continue;
    }
    if (auto status = read_key(r, key, value, s); !status) return status;
    s.origin[std::string(key.str())] = origin;
  }
  return {};
}

// The parser's message may quote what it could not read; on a line that holds
// a token, a quoted part longer than one character is left out.
std::string parse_failure(const Reading& r, const toml::parse_error& e, std::string_view text) {
  std::string description(e.description());
  const auto line_number = e.source().begin.line;
  std::size_t start = 0;
  for (std::size_t line = 1; line < line_number && start != std::string_view::npos; ++line) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  const std::string_view line = start == std::string_view::npos
                                    ? std::string_view()
                                    : text.substr(start, text.find('\n', start) - start);
  if (line.find("auth_token") != std::string_view::npos) {
    const auto open = description.find('\'');
    const auto close = description.rfind('\'');
    if (open != std::string::npos && close > open + 2)
      description.replace(open + 1, close - open - 1, "...");
  }
  return at(r, e.source()) + ": " + description;
}

bool holds_token(const toml::table& table) { return table.contains("auth_token"); }

// A token inside a file that group or others can read is refused: the file
// would give it away.
Status check_token_mode(const std::string& path, unsigned mode, const toml::table& root,
                        const toml::table* profiles) {
  if (!open_to_others(mode)) return {};
  bool token = holds_token(root);
  if (profiles) {
    for (const auto& [name, p] : *profiles)
      token = token || (p.is_table() && holds_token(*p.as_table()));
  }
  if (!token) return {};
  return config_error("the config file " + path +
                      " holds auth_token but is open to group or others (mode " + octal_mode(mode) +
                      "): run chmod 600 " + path +
                      ", or name a token file with auth_token_file instead");
}

Result<const toml::table*> profiles_of(const Reading& r, const toml::table& root) {
  const toml::node* node = root.get("profiles");
  if (!node) return static_cast<const toml::table*>(nullptr);
  const toml::table* profiles = node->as_table();
  if (!profiles) {
    return config_error(at(r, node->source()) + ": profiles must be tables, each [profiles.NAME]");
  }
  for (const auto& [name, p] : *profiles) {
    if (!p.is_table()) {
      return config_error(at(r, p.source()) + ": profiles." + std::string(name.str()) +
                          " must be a table, [profiles." + std::string(name.str()) + "]");
    }
  }
  return profiles;
}

Error unknown_profile(const std::string& path, const std::string& name,
                      const std::vector<std::string>& profiles) {
  std::string message = "the config file " + path + " has no profile " + name;
  if (profiles.empty()) return config_error(message + " (it has no [profiles.NAME] table)");
  std::string all;
  for (const auto& p : profiles) all += (all.empty() ? "" : ", ") + p;
  return config_error(message + did_you_mean(name, profiles) + " (its profiles: " + all + ")");
}

// Every profile is read (a mistake in one is a mistake of the file); the
// chosen one's keys overlay the top-level ones in file.settings.
Status read_profiles(const Reading& r, const toml::table* profiles,
                     const std::optional<std::string>& chosen, ConfigFile& file) {
  if (profiles) {
    for (const auto& [name, p] : *profiles) {
      file.profiles.push_back(std::string(name.str()));
      ConfigSettings scratch;
      ConfigSettings& into = chosen == std::string(name.str()) ? file.settings : scratch;
      auto status =
          read_table(r, *p.as_table(), r.path + " [profile " + std::string(name.str()) + "]", into);
      if (!status) return status;
    }
  }
  if (chosen &&
      std::find(file.profiles.begin(), file.profiles.end(), *chosen) == file.profiles.end())
    return unknown_profile(r.path, *chosen, file.profiles);
  return {};
}

// The whole of a small regular file; ENOENT is said as the errno it is.
Result<std::string> read_config_text(const std::string& path, unsigned& mode, int& open_errno) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    open_errno = errno;
    return config_error("cannot read the config file " + path + ": " + describe_errno(open_errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return config_error("the config file " + path + " is not a regular file");
  }
  mode = static_cast<unsigned>(st.st_mode) & 07777u;
  std::string text(k_max_config_size + 1, '\0');
  std::size_t got = 0;
  int read_errno = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) read_errno = errno;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (read_errno != 0)
    return config_error("cannot read the config file " + path + ": " + describe_errno(read_errno));
  if (got > k_max_config_size)
    return config_error("the config file " + path + " is larger than 1 MiB: is it the right file?");
  text.resize(got);
  return text;
}

}  // namespace

Result<ConfigFile> parse_config(std::string_view text, const std::string& path, unsigned mode,
                                const std::optional<std::string>& profile,
                                const std::optional<std::string>& home) {
  ConfigFile file;
  file.path = path;
  Reading r{path, home, file.warnings};
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    return config_error(parse_failure(r, e, text));
  }
  auto profiles = profiles_of(r, root);
  if (!profiles) return profiles.error();
  if (auto s = check_token_mode(path, mode, root, *profiles); !s) return s.error();
  if (auto s = read_table(r, root, path, file.settings); !s) return s.error();
  if (auto s = read_profiles(r, *profiles, profile, file); !s) return s.error();
  return file;
}

ConfigLocation default_config_location(const Getenv& getenv) {
  auto config = getenv("XDG_CONFIG_HOME");
  if (config && !config->empty() && config->front() == '/')  // XDG: absolute only
    return {*config + "/prospect-import/config.toml", false};
  auto home = getenv("HOME");
  if (home && !home->empty()) return {*home + "/.config/prospect-import/config.toml", false};
  return {std::nullopt, false};
}

Result<std::optional<ConfigFile>> load_config(const ConfigLocation& where,
                                              const std::optional<std::string>& profile,
                                              const Getenv& getenv) {
  if (!where.path) {
    if (profile) {
      return config_error("profile " + *profile +
                          ": there is no config file (neither HOME nor XDG_CONFIG_HOME is set; "
                          "--config FILE names one)");
    }
    return std::optional<ConfigFile>();
  }
  unsigned mode = 0;
  int open_errno = 0;
  auto text = read_config_text(*where.path, mode, open_errno);
  if (!text && open_errno == ENOENT && !where.required && !profile)
    return std::optional<ConfigFile>();
  if (!text && open_errno == ENOENT && !where.required) {
    return config_error("profile " + *profile + ": there is no config file " + *where.path +
                        " (--config FILE names another)");
  }
  if (!text) return text.error();
  auto file = parse_config(*text, *where.path, mode, profile, getenv("HOME"));
  if (!file) return file.error();
  return std::optional<ConfigFile>(std::move(*file));
}

}  // namespace prospect_import
