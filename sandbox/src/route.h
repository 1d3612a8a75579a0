#pragma once

#include <string>
#include <string_view>

namespace prospect_sandbox {

enum class Endpoint {
  unknown,    // not an API path
  programs,   // /Advertisers/{SID}/Campaigns
  groups,     // /Advertisers/{SID}/Campaigns/{ProgramId}/MediaPartnerGroups
  prospects,  // /Advertisers/{SID}/Campaigns/{ProgramId}/Prospects
};

struct Route {
  Endpoint endpoint = Endpoint::unknown;
  std::string account_sid;  // percent-decoded; set for every known endpoint
  std::string program_id;   // percent-decoded; set for groups and prospects
};

// Maps a raw path to its endpoint, decoding each segment on its own (so an
// encoded `/` stays inside its segment). Badly encoded paths are unknown.
Route parse_route(std::string_view raw_path);

// The raw path of an endpoint, segments percent-encoded.
std::string route_path(const Route& route);

}  // namespace prospect_sandbox
