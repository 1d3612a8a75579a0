#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace prospect_sandbox {

struct Group {
  std::string id;
  std::string name;
  bool operator==(const Group&) const = default;
};

struct Program {
  std::string id;
  std::string name;
  std::vector<Group> groups;
  // The tokens that may use the program; nothing means every token of the account.
  std::optional<std::vector<std::string>> allowed_tokens;
  bool operator==(const Program&) const = default;
};

struct Account {
  std::string sid;
  std::vector<std::string> tokens;
  std::vector<Program> programs;
  bool operator==(const Account&) const = default;
};

// An existing impact.com partner account that a prospect can match.
struct PartnerAccount {
  std::string id;
  std::string name;
  std::vector<std::string> emails;
  std::vector<std::string> hosts;
  bool operator==(const PartnerAccount&) const = default;
};

struct Seed {
  std::vector<Account> accounts;
  std::vector<PartnerAccount> partners;
  bool operator==(const Seed&) const = default;
};

// Reads a seed in the format of default-seed.json:
//   {"Accounts": [{"AccountSid", "AuthTokens": [...], "Programs": [{"Id", "Name",
//     "Groups": [{"Id", "Name"}], "AllowedTokens" (optional): [...]}]}],
//    "PartnerAccounts": [{"Id", "Name", "Emails": [...], "Hosts": [...]}]}
// Throws std::runtime_error naming what is wrong.
Seed parse_seed(const nlohmann::json& json);
Seed parse_seed_text(const std::string& text);

// The built-in seed: default-seed.json, embedded at build time.
const std::string& default_seed_json();
Seed default_seed();

const Account* find_account(const Seed& seed, const std::string& sid);
const Program* find_program(const Account& account, const std::string& id);
bool token_may_use(const Program& program, const std::string& token);

}  // namespace prospect_sandbox
