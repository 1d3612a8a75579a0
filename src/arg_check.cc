#include "prospect_import/arg_check.h"

#include <algorithm>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

std::vector<std::string> names_of(const std::vector<KnownOption>& options) {
  std::vector<std::string> names;
  for (const auto& o : options) names.push_back(o.name);
  return names;
}

const KnownOption* find_option(const std::vector<KnownOption>& options, std::string_view name) {
  auto it = std::find_if(options.begin(), options.end(),
                         [&](const KnownOption& o) { return o.name == name; });
  return it == options.end() ? nullptr : &*it;
}

// "snyc" for "sync": two neighbouring letters swapped, the commonest typo,
// which counts as one edit (plain edit distance makes it two).
bool one_swap_apart(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);
}

bool is_option_word(std::string_view arg) { return arg.size() > 1 && arg[0] == '-'; }

bool is_word(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

// -qv: short flags given together.
bool bundled_flags(std::string_view word, const std::vector<KnownOption>& options) {
  if (word.size() < 3 || word[1] == '-') return false;
  return std::all_of(word.begin() + 1, word.end(), [&](char c) {
    const KnownOption* o = find_option(options, std::string{'-', c});
    return o && !o->takes_value;
  });
}

// The option word at args[i] (a long one may carry "=VALUE"); advances i past its value.
std::optional<std::string> check_option(const std::vector<std::string>& args, std::size_t& i,
                                        const std::vector<KnownOption>& options, ArgScan& scan) {
  const std::string& arg = args[i];
  const auto eq = arg.find('=');
  const std::string name = arg.starts_with("--") ? arg.substr(0, eq) : arg;
  if (name == "-h" || name == "--help") {
    scan.wants_help = true;
    return std::nullopt;
  }
  const KnownOption* known = find_option(options, name);
  if (!known && bundled_flags(name, options)) return std::nullopt;
  if (!known) {
    // -program for --program
    if (!arg.starts_with("--") && find_option(options, "-" + name))
      return "unknown option " + name + "; did you mean -" + name + "?";
    return "unknown option " + name + did_you_mean(name, names_of(options));
  }
  if (!known->takes_value || (arg.starts_with("--") && eq != std::string::npos))
    return std::nullopt;
  if (i + 1 == args.size() || args[i + 1].starts_with("--")) return name + " needs a value";
  ++i;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> nearest_name(std::string_view word,
                                        const std::vector<std::string>& names) {
  const std::string* best = nullptr;
  std::size_t best_distance = 3;
  for (const auto& n : names) {
    std::size_t d = one_swap_apart(word, n) ? 1 : edit_distance(word, n);
    if (d < best_distance && 2 * d < word.size()) {
      best = &n;
      best_distance = d;
    }
  }
  if (best) return *best;
  std::vector<const std::string*> prefixed;
  for (const auto& n : names) {
    if (word.size() > 2 && n.starts_with(word)) prefixed.push_back(&n);
  }
  if (prefixed.size() == 1) return *prefixed[0];
  return std::nullopt;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& names) {
  auto n = nearest_name(word, names);
  return n ? "; did you mean " + *n + "?" : "";
}

ArgScan scan_arguments(const std::vector<std::string>& args,
                       const std::vector<KnownOption>& options,
                       const std::vector<std::string>& commands,
                       const std::function<bool(const std::string&)>& is_file) {
  ArgScan scan;
  bool seen_positional = false;
  for (std::size_t i = 0; i < args.size() && !scan.problem; ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (is_option_word(arg)) {
      scan.problem = check_option(args, i, options, scan);
    } else if (!scan.command.empty()) {
      scan.command_args.push_back(arg);
    } else if (!seen_positional &&
               std::find(commands.begin(), commands.end(), arg) != commands.end()) {
      scan.command = arg;
    } else if (!seen_positional && is_word(arg) && !is_file(arg) && nearest_name(arg, commands)) {
      scan.problem = "unknown command " + arg + did_you_mean(arg, commands);
    } else {
      seen_positional = true;
    }
  }
  return scan;
}

}  // namespace prospect_import
