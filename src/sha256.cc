#include "prospect_import/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "prospect_import/text.h"

namespace prospect_import {

struct Sha256::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>()) {
  if (!m_impl->ctx || EVP_DigestInit_ex(m_impl->ctx, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL cannot compute SHA-256");
  }
}

Sha256::~Sha256() = default;

void Sha256::update(const char* data, std::size_t size) {
  EVP_DigestUpdate(m_impl->ctx, data, size);
}

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(m_impl->ctx, digest, &size);
  std::string digits;
  for (unsigned int i = 0; i < size; ++i) digits += hex(digest[i], 2, HexCase::lower);
  return digits;
}

}  // namespace prospect_import
