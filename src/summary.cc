#include "prospect_import/summary.h"

#include <nlohmann/json.hpp>

namespace prospect_import {

nlohmann::ordered_json to_json(const Summary& s) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["file"] = s.file;
  j["program"] = s.program ? nlohmann::ordered_json(*s.program) : nlohmann::ordered_json(nullptr);
  j["dry_run"] = s.dry_run;
  j["offline"] = s.offline;
  j["rows"] = s.rows();
  j["succeeded"] = s.succeeded();
  j["created"] = s.created;
  j["already_exists"] = s.already_exists;
  j["invalid"] = s.invalid;
  j["rejected"] = s.rejected;
  j["failed"] = s.failed;
  j["not_attempted"] = s.not_attempted;
  j["exit_code"] = s.exit_code;
  j["elapsed_s"] = s.elapsed_s;
  j["requests"] = s.requests;
  j["retries"] = s.retries;
  j["rate_limited"] = s.rate_limited;
  j["known"] = s.known;
  j["matched"] = s.matched;
  j["started_at"] = s.started_at;
  return j;
}

}  // namespace prospect_import
