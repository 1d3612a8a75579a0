#include "paging.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

PageRequest request_of(const FormFields& query) {
  return std::get<PageRequest>(parse_page_request(query));
}

std::vector<FieldError> errors_of(const FormFields& query) {
  return std::get<std::vector<FieldError>>(parse_page_request(query));
}

OrderedJson numbers(int count) {
  OrderedJson items = OrderedJson::array();
  for (int i = 1; i <= count; ++i) items.push_back(i);
  return items;
}

TEST(PageRequest, DefaultsAndClamp) {
  EXPECT_EQ(request_of({}), (PageRequest{1, 100}));
  EXPECT_EQ(request_of({{"Page", "3"}, {"PageSize", "1000"}}), (PageRequest{3, 1000}));
  EXPECT_EQ(request_of({{"PageSize", "1001"}}), (PageRequest{1, 1000}));
  EXPECT_EQ(request_of({{"PageSize", "99999999999999999999"}}), (PageRequest{1, 1000}));
}

TEST(PageRequest, RefusesWhatIsNotAWholeNumberOfAtLeastOne) {
  const std::string message = "Must be a whole number of at least 1";
  EXPECT_EQ(errors_of({{"Page", "0"}}), (std::vector<FieldError>{{"Page", message}}));
  EXPECT_EQ(errors_of({{"Page", "-1"}, {"PageSize", ""}}),
            (std::vector<FieldError>{{"Page", message}, {"PageSize", message}}));
  EXPECT_EQ(errors_of({{"PageSize", "1.5"}}), (std::vector<FieldError>{{"PageSize", message}}));
}

TEST(MakePage, FirstPagePointsToTheNext) {
  const auto page = make_page(numbers(5), {1, 2}, "Items", "/Advertisers/IRa/Campaigns");
  EXPECT_EQ(page.dump(),
            R"({"@page":"1","@numpages":"3","@pagesize":"2","@total":"5",)"
            R"("@nextpageuri":"/Advertisers/IRa/Campaigns?Page=2&PageSize=2","Items":[1,2]})");
}

TEST(MakePage, LastPageHasNoNext) {
  const auto page = make_page(numbers(5), {3, 2}, "Items", "/p");
  EXPECT_EQ(
      page.dump(),
      R"({"@page":"3","@numpages":"3","@pagesize":"2","@total":"5","@nextpageuri":"","Items":[5]})");
}

TEST(MakePage, PastTheEndIsEmpty) {
  const auto page = make_page(numbers(5), {9, 2}, "Items", "/p");
  EXPECT_EQ(
      page.dump(),
      R"({"@page":"9","@numpages":"3","@pagesize":"2","@total":"5","@nextpageuri":"","Items":[]})");
}

TEST(MakePage, EmptyListHasZeroPages) {
  const auto page = make_page(numbers(0), {1, 100}, "Items", "/p");
  EXPECT_EQ(
      page.dump(),
      R"({"@page":"1","@numpages":"0","@pagesize":"100","@total":"0","@nextpageuri":"","Items":[]})");
}

}  // namespace
}  // namespace prospect_sandbox
