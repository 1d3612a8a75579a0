#pragma once
// The program's prospects listing (API.md: GET .../Campaigns/{ProgramId}/
// Prospects, PageSize 1000) read into ledger entries, for `ledger sync`.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "prospect_import/api.h"
#include "prospect_import/error.h"
#include "prospect_import/ledger.h"
#include "prospect_import/session.h"

namespace prospect_import {

// A page's prospects as ledger entries (status "listed", no file), and the
// next page's path ("" on the last); nothing, with error set, when the body is
// not such a page. Items without a ProspectId or ContactEmail are skipped.
struct ProspectPage {
  std::vector<LedgerEntry> items;
  std::string next_uri;
  std::size_t listed = 0;         // items on the page, the skipped ones too
  std::optional<long> num_pages;  // @numpages, when it is a number
};
std::optional<ProspectPage> read_prospect_page(const HttpResponse& r, std::string& error);

// Lists every page through session, giving each page's entries to `take` as it
// arrives; stops at the first Error, of the API or of `take`.
Status for_each_prospect_page(Session& session, const ApiTarget& target,
                              const std::function<Status(const std::vector<LedgerEntry>&)>& take);

}  // namespace prospect_import
