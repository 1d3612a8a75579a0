#pragma once

#include "form.h"
#include "seed.h"

namespace prospect_sandbox {

// The existing impact.com partner account a (valid) prospect matches: by a
// known PartnerId, else by ContactEmail (ASCII case-insensitive), else by the
// media property's host (ASCII case-insensitive, ignoring the port and a
// leading `www.`). Null when none matches.
const PartnerAccount* match_partner(const std::vector<PartnerAccount>& partners,
                                    const FormFields& fields);

// A host as compared for matching: lower-cased, without port and leading `www.`.
std::string comparable_host(std::string_view host);

}  // namespace prospect_sandbox
