#pragma once
// The import template: its columns, their English and Japanese headers and
// their API field names (API.md, CLI.md).

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace prospect_import {

enum class Column : std::size_t {
  partner_name,
  contact_email,
  media_property,
  group_name,
  contact_first_name,
  contact_last_name,
  description,
  partner_id,
};

inline constexpr std::size_t k_column_count = 8;

// One row's values in template order.
using Values = std::array<std::string, k_column_count>;

inline constexpr std::size_t index(Column c) { return static_cast<std::size_t>(c); }

struct ColumnInfo {
  Column column;
  std::string_view header;     // English template header
  std::string_view header_ja;  // localised (Japanese) template header
  std::string_view api_field;  // form field of the create call
  bool required;
};

inline constexpr std::array<ColumnInfo, k_column_count> k_columns{{
    {Column::partner_name, "Partner Name", "パートナー名", "PartnerName", true},
    {Column::contact_email, "Contact Email", "連絡先メールアドレス", "ContactEmail", true},
    {Column::media_property, "Media Property", "メディアプロパティ", "MediaPropertyUrl", true},
    {Column::group_name, "Group Name", "グループ名", "GroupId", false},
    {Column::contact_first_name, "Contact First Name", "連絡先の名", "ContactFirstName", false},
    {Column::contact_last_name, "Contact Last Name", "連絡先の姓", "ContactLastName", false},
    {Column::description, "Description", "説明", "Description", false},
    {Column::partner_id, "Partner ID", "パートナーID", "PartnerId", false},
}};

inline constexpr std::string_view header_of(Column c) { return k_columns[index(c)].header; }

// The template's header row, comma-separated, as `prospect-import template` prints it.
std::string template_header_line();

}  // namespace prospect_import
