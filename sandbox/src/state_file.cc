#include "state_file.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace prospect_sandbox {

void write_state_file(const std::string& path, const OrderedJson& state) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << to_text(state) << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write the state file " + temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot replace the state file " + path);
  }
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace prospect_sandbox
