#include "prospect_import/hardening.h"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace prospect_import {
namespace {

// Issue 7, item 12: a core dump would hold the token. (The end-to-end test
// reads the running tool's /proc/PID/limits; dumpable is not shown there.)
TEST(Hardening, CoreDumpsAreOffSoftAndHardAndTheProcessIsNotDumpable) {
  EXPECT_EQ(disable_core_dumps(), std::nullopt);
  EXPECT_EQ(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
  struct rlimit core {};
  ASSERT_EQ(::getrlimit(RLIMIT_CORE, &core), 0);
  EXPECT_EQ(core.rlim_cur, 0u);
  EXPECT_EQ(core.rlim_max, 0u) << "a child cannot raise it again";
}

}  // namespace
}  // namespace prospect_import
