#pragma once
// SHA-256 in pieces (OpenSSL): what names an import's journal is the hash of
// its input's bytes, taken while the input is read.

#include <cstddef>
#include <memory>
#include <string>

namespace prospect_import {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const char* data, std::size_t size);
  // The lower-case hex digest of everything given. REQUIRES: called once.
  std::string hex_digest();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace prospect_import
