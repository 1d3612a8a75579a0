#include "route.h"

#include "form.h"

#include <optional>
#include <vector>

namespace prospect_sandbox {
namespace {

std::optional<std::vector<std::string>> decoded_segments(std::string_view path) {
  if (!path.starts_with('/')) return std::nullopt;
  std::vector<std::string> segments;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    auto segment = percent_decode(path.substr(0, slash), false);
    if (!segment) return std::nullopt;
    segments.push_back(std::move(*segment));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

Endpoint program_endpoint(const std::string& name) {
  if (name == "MediaPartnerGroups") return Endpoint::groups;
  if (name == "Prospects") return Endpoint::prospects;
  return Endpoint::unknown;
}

}  // namespace

Route parse_route(std::string_view raw_path) {
  const auto segments = decoded_segments(raw_path);
  if (!segments || segments->size() < 3) return {};
  const auto& s = *segments;
  if (s[0] != "Advertisers" || s[1].empty() || s[2] != "Campaigns") return {};
  if (s.size() == 3) return {Endpoint::programs, s[1], ""};
  if (s.size() != 5 || s[3].empty()) return {};
  const Endpoint endpoint = program_endpoint(s[4]);
  if (endpoint == Endpoint::unknown) return {};
  return {endpoint, s[1], s[3]};
}

std::string route_path(const Route& route) {
  std::string path = "/Advertisers/" + percent_encode(route.account_sid) + "/Campaigns";
  if (route.endpoint == Endpoint::programs) return path;
  path += "/" + percent_encode(route.program_id);
  return path + (route.endpoint == Endpoint::groups ? "/MediaPartnerGroups" : "/Prospects");
}

}  // namespace prospect_sandbox
