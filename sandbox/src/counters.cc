#include "counters.h"

#include <string>

namespace prospect_sandbox {

void Counters::record(int status) {
  ++requests;
  ++by_status[status];
  if (status == 429) ++rate_limited;
}

OrderedJson counters_json(const Counters& counters) {
  OrderedJson by_status = OrderedJson::object();
  for (const auto& [status, count] : counters.by_status) by_status[std::to_string(status)] = count;
  return {{"requests", counters.requests},
          {"by_status", by_status},
          {"rate_limited", counters.rate_limited},
          {"injected_faults", counters.injected_faults},
          {"drops", counters.drops},
          {"creates", counters.creates},
          {"dry_runs", counters.dry_runs}};
}

}  // namespace prospect_sandbox
