#include "seed.h"

#include <algorithm>
#include <stdexcept>

namespace prospect_sandbox {
namespace {

using nlohmann::json;

std::vector<std::string> strings(const json& object, const char* key) {
  if (!object.contains(key)) return {};
  return object.at(key).get<std::vector<std::string>>();
}

Program parse_program(const json& j) {
  Program program{j.at("Id").get<std::string>(), j.at("Name").get<std::string>(), {}, {}};
  for (const auto& group : j.at("Groups")) {
    program.groups.push_back(
        {group.at("Id").get<std::string>(), group.at("Name").get<std::string>()});
  }
  if (j.contains("AllowedTokens")) program.allowed_tokens = strings(j, "AllowedTokens");
  return program;
}

Account parse_account(const json& j) {
  Account account{j.at("AccountSid").get<std::string>(), strings(j, "AuthTokens"), {}};
  for (const auto& program : j.at("Programs")) account.programs.push_back(parse_program(program));
  return account;
}

PartnerAccount parse_partner(const json& j) {
  return {j.at("Id").get<std::string>(), j.at("Name").get<std::string>(), strings(j, "Emails"),
          strings(j, "Hosts")};
}

}  // namespace

Seed parse_seed(const json& j) {
  try {
    Seed seed;
    for (const auto& account : j.at("Accounts")) seed.accounts.push_back(parse_account(account));
    if (j.contains("PartnerAccounts")) {
      for (const auto& partner : j.at("PartnerAccounts"))
        seed.partners.push_back(parse_partner(partner));
    }
    return seed;
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("seed: ") + e.what());
  }
}

Seed parse_seed_text(const std::string& text) {
  try {
    return parse_seed(json::parse(text));
  } catch (const json::parse_error& e) {
    throw std::runtime_error(std::string("seed: ") + e.what());
  }
}

Seed default_seed() { return parse_seed_text(default_seed_json()); }

const Account* find_account(const Seed& seed, const std::string& sid) {
  const auto it = std::find_if(seed.accounts.begin(), seed.accounts.end(),
                               [&](const Account& a) { return a.sid == sid; });
  return it == seed.accounts.end() ? nullptr : &*it;
}

const Program* find_program(const Account& account, const std::string& id) {
  const auto it = std::find_if(account.programs.begin(), account.programs.end(),
                               [&](const Program& p) { return p.id == id; });
  return it == account.programs.end() ? nullptr : &*it;
}

bool token_may_use(const Program& program, const std::string& token) {
  if (!program.allowed_tokens) return true;
  const auto& tokens = *program.allowed_tokens;
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

}  // namespace prospect_sandbox
