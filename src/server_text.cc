#include "prospect_import/server_text.h"

#include <openssl/evp.h>

#include <algorithm>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

enum class PercentStyle { path_upper, path_lower, form };

std::string percent_encode(std::string_view s, PercentStyle style) {
  HexCase letters = style == PercentStyle::path_lower ? HexCase::lower : HexCase::upper;
  std::string out;
  for (unsigned char c : s) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    bool kept = style == PercentStyle::form
                    ? (alnum || c == '*' || c == '-' || c == '.' || c == '_')
                    : (alnum || c == '-' || c == '.' || c == '_' || c == '~');
    if (kept) {
      out += static_cast<char>(c);
    } else if (style == PercentStyle::form && c == ' ') {
      out += '+';
    } else {
      out += '%' + hex(c, 2, letters);
    }
  }
  return out;
}

std::string json_escaped_slashes(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '/') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

Redactor::Redactor(std::string_view account_sid, const Secret& token) {
  if (token.empty()) return;
  std::string pair = std::string(account_sid) + ":" + token.reveal();
  for (const std::string& raw : {token.reveal(), pair, base64(pair)}) {
    for (const std::string& form :
         {raw, percent_encode(raw, PercentStyle::path_upper),
          percent_encode(raw, PercentStyle::path_lower), percent_encode(raw, PercentStyle::form)}) {
      m_forms.push_back(form);
      m_forms.push_back(json_escaped_slashes(form));
    }
  }
  std::sort(m_forms.begin(), m_forms.end(), [](const std::string& a, const std::string& b) {
    return a.size() > b.size() || (a.size() == b.size() && a < b);
  });
  m_forms.erase(std::unique(m_forms.begin(), m_forms.end()), m_forms.end());
}

std::string Redactor::redact(std::string_view text) const {
  std::string out(text);
  for (const auto& form : m_forms) {
    for (auto at = out.find(form); at != std::string::npos;
         at = out.find(form, at + k_redacted.size())) {
      out.replace(at, form.size(), k_redacted);
    }
  }
  return out;
}

std::string clean_server_text(std::string_view s, std::size_t max_code_points) {
  std::string out;
  std::size_t kept = 0;
  for (std::size_t pos = 0; pos < s.size();) {
    // A run of printable ASCII (most of every answer) is copied as it is, up
    // to the code points still allowed; the rest is decoded one at a time.
    std::size_t run = pos;
    std::size_t room = max_code_points - std::min(kept, max_code_points);
    while (run < s.size() && run - pos < room && s[run] >= 0x20 && s[run] < 0x7F) ++run;
    if (run > pos) {
      out.append(s.substr(pos, run - pos));
      kept += run - pos;
      pos = run;
      continue;
    }
    CodePoint cp = decode_at(s, pos);
    pos += cp.length;
    char32_t c = cp.well_formed ? cp.code_point : U'\uFFFD';
    if (c == U'\t' || c == U'\r' || c == U'\n') c = U' ';
    if (is_control(c)) continue;
    if (kept++ == max_code_points) return out + "...";
    append_utf8(out, c);
  }
  return out;
}

}  // namespace prospect_import
