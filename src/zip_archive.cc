#include "prospect_import/zip_archive.h"

#include <zip.h>

#include <algorithm>

namespace prospect_import {
namespace {

Error damaged(const std::string& what) {
  return input_error(ExitCode::data_error, 0,
                     "the workbook cannot be read (" + what + "): is the file complete?");
}

Error too_large(const std::string& name, const std::string& what) {
  return input_error(ExitCode::data_error, 0,
                     "the workbook's part " + name + " " + what +
                         ": it is damaged or built to exhaust memory (a zip bomb)");
}

// A libzip source over a seekable std::istream.
struct StreamSource {
  explicit StreamSource(std::istream& stream) : in(stream) {}
  std::istream& in;
  zip_error_t error{};
  std::uint64_t size = 0;
  std::uint64_t at = 0;

  zip_int64_t seek_to(std::uint64_t offset) {
    in.clear();
    if (!in.seekg(static_cast<std::streamoff>(offset))) {
      zip_error_set(&error, ZIP_ER_SEEK, EIO);
      return -1;
    }
    at = offset;
    return 0;
  }

  zip_int64_t command(void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    switch (cmd) {
      case ZIP_SOURCE_OPEN:
        return seek_to(0);
      case ZIP_SOURCE_READ: {
        in.read(static_cast<char*>(data), static_cast<std::streamsize>(len));
        if (in.bad()) {
          zip_error_set(&error, ZIP_ER_READ, EIO);
          return -1;
        }
        at += static_cast<std::uint64_t>(in.gcount());
        return in.gcount();
      }
      case ZIP_SOURCE_CLOSE:
      case ZIP_SOURCE_FREE:
        return 0;
      case ZIP_SOURCE_STAT: {
        auto* st = static_cast<zip_stat_t*>(data);
        zip_stat_init(st);
        st->size = size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(zip_stat_t);
      }
      case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&error, data, len);
      case ZIP_SOURCE_SEEK: {
        zip_int64_t to = zip_source_seek_compute_offset(at, size, data, len, &error);
        return to < 0 ? -1 : seek_to(static_cast<std::uint64_t>(to));
      }
      case ZIP_SOURCE_TELL:
        return static_cast<zip_int64_t>(at);
      case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_SEEKABLE;
      default:
        zip_error_set(&error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
  }

  static zip_int64_t callback(void* self, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    return static_cast<StreamSource*>(self)->command(data, len, cmd);
  }
};

}  // namespace

struct ZipArchive::Impl {
  explicit Impl(std::istream& in, const ZipLimits& l) : source(in), limits(l) {}
  ~Impl() {
    if (archive) zip_discard(archive);
    zip_error_fini(&source.error);
  }
  StreamSource source;
  ZipLimits limits;
  zip_t* archive = nullptr;
  std::uint64_t total = 0;  // bytes yielded by every entry so far

  std::optional<zip_uint64_t> locate(std::string_view name) const {
    zip_int64_t i = zip_name_locate(archive, std::string(name).c_str(), ZIP_FL_NOCASE);
    if (i < 0) return std::nullopt;
    return static_cast<zip_uint64_t>(i);
  }
};

ZipArchive::ZipArchive(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ZipArchive::~ZipArchive() = default;

Result<std::unique_ptr<ZipArchive>> ZipArchive::open(std::istream& in, const ZipLimits& limits) {
  auto impl = std::make_unique<Impl>(in, limits);
  in.clear();
  in.seekg(0, std::ios::end);
  auto end = in.tellg();
  if (end < 0) return damaged("it cannot be read by random access");
  impl->source.size = static_cast<std::uint64_t>(end);
  zip_error_init(&impl->source.error);
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_function_create(&StreamSource::callback, &impl->source, &error);
  if (!src)
    return Error{ExitCode::internal,
                 "cannot read a zip: " + std::string(zip_error_strerror(&error))};
  impl->archive = zip_open_from_source(src, ZIP_RDONLY, &error);
  if (!impl->archive) {
    zip_source_free(src);
    std::string what = zip_error_strerror(&error);
    zip_error_fini(&error);
    return damaged("zip: " + what);
  }
  zip_error_fini(&error);
  if (static_cast<std::uint64_t>(zip_get_num_entries(impl->archive, 0)) > limits.max_entries)
    return damaged("more than " + std::to_string(limits.max_entries) + " parts");
  return std::unique_ptr<ZipArchive>(new ZipArchive(std::move(impl)));
}

bool ZipArchive::has(std::string_view name) const { return m_impl->locate(name).has_value(); }

Result<std::unique_ptr<ZipEntry>> ZipArchive::open_entry(std::string_view name) {
  std::string n(name);
  auto index = m_impl->locate(name);
  if (!index) return damaged("its part " + n + " is missing");
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(m_impl->archive, *index, 0, &st) != 0) return damaged("part " + n);
  const ZipLimits& l = m_impl->limits;
  if ((st.valid & ZIP_STAT_SIZE) && st.size > l.max_entry_bytes) {
    return too_large(n, "would unpack to " + std::to_string(st.size >> 20) + " MiB, more than " +
                            std::to_string(l.max_entry_bytes >> 20) + " MiB");
  }
  if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) &&
      st.size > l.ratio_from_bytes &&
      st.size / std::max<zip_uint64_t>(st.comp_size, 1) > l.max_ratio) {
    return too_large(n, "is compressed " +
                            std::to_string(st.size / std::max<zip_uint64_t>(st.comp_size, 1)) +
                            " times, more than " + std::to_string(l.max_ratio));
  }
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
    return damaged("its part " + n + " is encrypted");
  zip_file_t* file = zip_fopen_index(m_impl->archive, *index, 0);
  if (!file) return damaged(n + ": " + zip_strerror(m_impl->archive));
  // Counted as it comes: the sizes in the directory may lie. An entry yields
  // no more than it said it would, nor more than its ratio allows.
  std::uint64_t limit = l.max_entry_bytes;
  if (st.valid & ZIP_STAT_SIZE) limit = std::min<std::uint64_t>(limit, st.size);
  if ((st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size > 0)
    limit = std::min(limit, std::max(l.ratio_from_bytes, st.comp_size * l.max_ratio));
  return std::unique_ptr<ZipEntry>(new ZipEntry(*m_impl, file, std::move(n), limit));
}

Result<std::string> ZipArchive::read_all(std::string_view name, std::size_t max_bytes) {
  auto entry = open_entry(name);
  if (!entry) return entry.error();
  std::string all;
  char buffer[4096];
  for (;;) {
    auto got = (*entry)->read(buffer, sizeof buffer);
    if (!got) return got.error();
    if (*got == 0) return all;
    all.append(buffer, *got);
    if (all.size() > max_bytes)
      return too_large(std::string(name), "is larger than " + std::to_string(max_bytes) + " bytes");
  }
}

ZipEntry::ZipEntry(ZipArchive::Impl& archive, void* file, std::string name, std::uint64_t limit)
    : m_archive(archive), m_file(file), m_name(std::move(name)), m_limit(limit) {}

ZipEntry::~ZipEntry() { zip_fclose(static_cast<zip_file_t*>(m_file)); }

Result<std::size_t> ZipEntry::read(char* out, std::size_t n) {
  auto* file = static_cast<zip_file_t*>(m_file);
  zip_int64_t got = zip_fread(file, out, n);
  if (got < 0) return damaged(m_name + ": " + zip_file_strerror(file));
  auto g = static_cast<std::uint64_t>(got);
  m_read += g;
  m_archive.total += g;
  if (m_read > m_limit) {
    return too_large(m_name, "unpacks to more than the " + std::to_string(m_limit) +
                                 " bytes its size or its compressed size allows");
  }
  if (m_archive.total > m_archive.limits.max_total_bytes) {
    return too_large(m_name, "brings what the workbook unpacks to over " +
                                 std::to_string(m_archive.limits.max_total_bytes >> 20) + " MiB");
  }
  return static_cast<std::size_t>(g);
}

}  // namespace prospect_import
