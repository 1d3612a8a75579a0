#include "prospect_import/duplicate_index.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <new>
#include <utility>

#include "prospect_import/error.h"
#include "prospect_import/os_error.h"

namespace prospect_import {
namespace {

// 16 tables, chosen by the hash's top bits: one grows at a time, so the
// memory's peak is a sixteenth of the index above its size. Each growth
// unmaps the table it replaces, and an unmapping stops every core the process
// runs on (a TLB shootdown): with 256 tables a 1,000,000-row run made 1,975
// of them, and they were a quarter of the thread that finds duplicates.
constexpr int k_table_bits = 4;
constexpr int k_tag_bits = 24;
constexpr int k_entry_bits = 40;  // 1 TiB of keys
constexpr std::uint64_t k_entry_mask = (std::uint64_t{1} << k_entry_bits) - 1;
constexpr std::size_t k_page = 4096;
// A table's first size: pages not written to yet cost no memory, and the
// growths from one page up would be a dozen more unmappings a table.
constexpr std::size_t k_first_table_bytes = 16 * k_page;
constexpr std::size_t k_block_size = std::size_t{1} << 20;  // keys gathered before a spill
constexpr std::size_t k_entry_head = sizeof(std::uint64_t) + sizeof(std::uint32_t);

std::uint32_t tag_of(std::uint64_t hash) {
  return static_cast<std::uint32_t>(hash >> (64 - k_table_bits - k_tag_bits)) &
         ((1u << k_tag_bits) - 1);
}

[[noreturn]] void fail_reading_back(int err) {
  throw ErrorException(Error{ExitCode::io_error,
                             "cannot read back the keys kept to find "
                             "duplicates: " +
                                 describe_errno(err)});
}

}  // namespace

// Slots of one table: 0 is empty, else the key's tag above 1 + where its entry is.
// In pages of their own (mmap), so that a table replaced while growing gives
// its memory back at once rather than to the heap.
class DuplicateIndex::Table {
 public:
  Table() = default;
  ~Table() { release(); }
  Table(Table&& other) noexcept
      : m_slots(std::exchange(other.m_slots, nullptr)),
        m_size(std::exchange(other.m_size, 0)),
        m_used(std::exchange(other.m_used, 0)) {}
  Table& operator=(Table&&) = delete;

  // The first non-zero verify(entry) over the entries of `tag`, or 0.
  template <typename Verify>
  std::uint64_t find(std::uint32_t tag, Verify verify) const {
    if (m_size == 0) return 0;
    for (std::size_t i = home(tag, m_size);; i = i + 1 == m_size ? 0 : i + 1) {
      std::uint64_t s = m_slots[i];
      if (s == 0) return 0;
      if ((s >> k_entry_bits) != tag) continue;
      if (std::uint64_t line = verify((s & k_entry_mask) - 1)) return line;
    }
  }

  void prefetch(std::uint32_t tag) const {
    if (m_size != 0) __builtin_prefetch(m_slots + home(tag, m_size));
  }

  void add(std::uint32_t tag, std::uint64_t entry) {
    if ((m_used + 1) * 5 > m_size * 4) grow();  // at most 80 % full
    place(m_slots, m_size, (std::uint64_t{tag} << k_entry_bits) | (entry + 1));
    ++m_used;
  }

 private:
  // Where a tag's probing starts: its place in [0, size), so any size will do.
  static std::size_t home(std::uint64_t tag, std::size_t size) {
    return static_cast<std::size_t>((tag * size) >> k_tag_bits);
  }

  static void place(std::uint64_t* slots, std::size_t size, std::uint64_t slot) {
    std::size_t i = home(slot >> k_entry_bits, size);
    while (slots[i] != 0) i = i + 1 == size ? 0 : i + 1;  // linear probing
    slots[i] = slot;
  }

  // A quarter larger, in whole pages: the memory follows the keys closely.
  // Populated at once: moving the keys over writes to every page anyway, and
  // one call that fills them is cheaper than a fault for each.
  void grow() {
    std::size_t bytes = (m_size + m_size / 4) * sizeof(std::uint64_t);
    bytes = std::max(k_first_table_bytes, (bytes + k_page - 1) / k_page * k_page);
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    auto* slots = static_cast<std::uint64_t*>(p);  // zero: empty
    std::size_t size = bytes / sizeof(std::uint64_t);
    for (std::size_t i = 0; i < m_size; ++i) {
      if (m_slots[i] != 0) place(slots, size, m_slots[i]);
    }
    release();
    m_slots = slots;
    m_size = size;
  }

  void release() {
    if (m_slots) ::munmap(m_slots, m_size * sizeof(std::uint64_t));
    m_slots = nullptr;
  }

  std::uint64_t* m_slots = nullptr;
  std::size_t m_size = 0;
  std::size_t m_used = 0;
};

// The entries (8 bytes of line, 4 of key length, the key) one after another,
// in 1 MiB blocks; each full block goes to the spill file, if there is one.
class DuplicateIndex::KeyLog {
 public:
  explicit KeyLog(KeySpill spill)
      : m_file(std::move(spill.file)),
        m_on_failure(std::move(spill.on_failure)),
        m_spilling(bool(m_file)) {}

  // Where the new entry is.
  std::uint64_t append(std::string_view key, std::uint64_t line) {
    std::size_t need = k_entry_head + key.size();
    if (m_blocks.empty() || m_blocks.back().bytes.size() + need > k_block_size) start_block(need);
    std::string& bytes = m_blocks.back().bytes;
    char head[k_entry_head];
    auto size = static_cast<std::uint32_t>(key.size());
    std::memcpy(head, &line, sizeof line);
    std::memcpy(head + sizeof line, &size, sizeof size);
    bytes.append(head, sizeof head).append(key);
    std::uint64_t at = m_end;
    m_end += need;
    return at;
  }

  // The line of the entry at `at` when its key is `key`, else 0.
  std::uint64_t line_if(std::uint64_t at, std::string_view key) {
    auto block = std::upper_bound(m_blocks.begin(), m_blocks.end(), at,
                                  [](std::uint64_t a, const Block& b) { return a < b.start; });
    --block;
    const char* entry =
        block->spilled ? read_back(at, key.size()) : block->bytes.data() + (at - block->start);
    std::uint32_t size = 0;
    std::memcpy(&size, entry + sizeof(std::uint64_t), sizeof size);
    if (size != key.size() || std::memcmp(entry + k_entry_head, key.data(), size) != 0) return 0;
    std::uint64_t line = 0;
    std::memcpy(&line, entry, sizeof line);
    return line;
  }

 private:
  struct Block {
    std::uint64_t start = 0;  // where its first entry is
    std::string bytes;        // empty once spilled
    bool spilled = false;
  };

  void start_block(std::size_t need) {
    if (!m_blocks.empty()) spill(m_blocks.back());
    // The room of the block just spilled, if any: its pages are mapped
    // already, where a new megabyte would fault a page at a time as it fills.
    m_blocks.push_back(Block{m_end, std::move(m_spare), false});
    m_spare.clear();
    m_blocks.back().bytes.reserve(std::max(need, k_block_size));
  }

  // A block that cannot be written stays in memory, and so do all after it.
  void spill(Block& block) {
    if (!m_spilling) return;
    std::string_view rest = block.bytes;
    for (std::uint64_t at = block.start; !rest.empty();) {
      ssize_t n = ::pwrite(m_file.get(), rest.data(), rest.size(), static_cast<off_t>(at));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        int err = n < 0 ? errno : ENOSPC;  // a write of nothing: no room
        m_spilling = false;
        if (m_on_failure) {
          m_on_failure("cannot write them to " + std::to_string(block.start >> 20) +
                       " MiB into their spill file: " + describe_errno(err));
        }
        return;
      }
      rest.remove_prefix(static_cast<std::size_t>(n));
      at += static_cast<std::uint64_t>(n);
    }
    m_spare = std::move(block.bytes);
    m_spare.clear();
    block.bytes = std::string();
    block.spilled = true;
  }

  // The entry at `at` from the file, as far as a key of key_size bytes reaches.
  const char* read_back(std::uint64_t at, std::size_t key_size) {
    m_read.resize(k_entry_head + key_size);
    std::size_t got = 0;
    while (got < m_read.size()) {
      ssize_t n = ::pread(m_file.get(), m_read.data() + got, m_read.size() - got,
                          static_cast<off_t>(at + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail_reading_back(errno);
      if (n == 0) break;  // a shorter entry at the end of the file
      got += static_cast<std::size_t>(n);
    }
    if (got < k_entry_head) fail_reading_back(EIO);
    std::uint32_t size = 0;
    std::memcpy(&size, m_read.data() + sizeof(std::uint64_t), sizeof size);
    if (size == key_size && got < m_read.size()) fail_reading_back(EIO);
    return m_read.data();
  }

  UniqueFd m_file;
  std::function<void(const std::string&)> m_on_failure;
  bool m_spilling;
  std::vector<Block> m_blocks;
  std::uint64_t m_end = 0;  // where the next entry goes
  std::string m_read;       // an entry read back
  std::string m_spare;      // a spilled block's room, for the next block
};

DuplicateIndex::DuplicateIndex(HashFunction hash, KeySpill spill)
    : m_hash(hash),
      m_tables(std::size_t{1} << k_table_bits),
      m_keys(std::make_unique<KeyLog>(std::move(spill))) {}

DuplicateIndex::~DuplicateIndex() = default;

std::uint64_t DuplicateIndex::default_hash(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

DuplicateIndex::Table& DuplicateIndex::table_of(std::uint64_t hash) {
  return m_tables[hash >> (64 - k_table_bits)];
}

const DuplicateIndex::Table& DuplicateIndex::table_of(std::uint64_t hash) const {
  return m_tables[hash >> (64 - k_table_bits)];
}

DuplicateIndex::Prepared DuplicateIndex::prepare(std::string_view key) const {
  return prepare_hashed(m_hash(key));
}

DuplicateIndex::Prepared DuplicateIndex::prepare_hashed(std::uint64_t hash) const {
  table_of(hash).prefetch(tag_of(hash));
  return {hash};
}

std::uint64_t DuplicateIndex::find(std::string_view key, Prepared prepared) {
  return table_of(prepared.hash).find(tag_of(prepared.hash), [&](std::uint64_t entry) {
    return m_keys->line_if(entry, key);
  });
}

void DuplicateIndex::add(std::string_view key, std::uint64_t line, Prepared prepared) {
  table_of(prepared.hash).add(tag_of(prepared.hash), m_keys->append(key, line));
}

}  // namespace prospect_import
