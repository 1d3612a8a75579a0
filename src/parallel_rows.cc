#include "prospect_import/parallel_rows.h"

#include <sched.h>

#include <algorithm>
#include <system_error>
#include <utility>

namespace prospect_import {
namespace {

constexpr std::size_t k_batch_rows = 256;  // a wake-up and two lock handovers a batch
constexpr unsigned k_max_workers = 8;

}  // namespace

struct ParallelRows::Batch {
  std::vector<RowSlot> slots = std::vector<RowSlot>(k_batch_rows);
  std::uint64_t sequence = 0;  // the order it was read in
  std::size_t count = 0;
  bool last = false;           // nothing follows it: the source ended, or threw, or the work threw
  std::exception_ptr failure;  // what was thrown, in place of slots[count]
  // Said before slots[index] is given (or at the end, for index == count).
  std::vector<std::pair<std::size_t, std::function<void()>>> notes;
};

ParallelRows::ParallelRows(Source source, Work work, unsigned workers)
    : m_source(std::move(source)),
      m_work(std::move(work)),
      m_worker_count(std::min(workers, k_max_workers)) {
  // Each worker holds one, the caller one, and the rest wait in order.
  std::size_t batches = 2 * std::size_t{m_worker_count} + 2;
  for (std::size_t i = 0; i < batches; ++i) {
    m_batches.push_back(std::make_unique<Batch>());
    m_free.push_back(m_batches.back().get());
  }
}

ParallelRows::~ParallelRows() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_freed.notify_all();
  for (auto& t : m_threads) t.join();
}

unsigned ParallelRows::default_workers() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  unsigned n = ::sched_getaffinity(0, sizeof cpus, &cpus) == 0
                   ? static_cast<unsigned>(CPU_COUNT(&cpus))
                   : std::thread::hardware_concurrency();
  return std::clamp(n, 1u, k_max_workers);
}

std::function<void(const std::string&)> ParallelRows::deferred(
    std::function<void(const std::string&)> say) {
  return [this, say = std::move(say)](const std::string& text) {
    // The source runs under m_read_mutex, on the batch being filled.
    m_filling->notes.emplace_back(m_filling->count, [say, text] { say(text); });
  };
}

void ParallelRows::start() {
  for (unsigned i = 0; i < m_worker_count; ++i) {
    try {
      m_threads.emplace_back([this] { run_worker(); });
    } catch (const std::system_error&) {
      break;  // no thread to be had (a process limit): fewer workers, or the caller alone
    }
  }
}

// A free batch, or null once the workers are to end.
ParallelRows::Batch* ParallelRows::take_free() {
  std::unique_lock lock(m_mutex);
  m_freed.wait(lock, [this] { return m_stop || !m_free.empty(); });
  if (m_stop) return nullptr;
  Batch* batch = m_free.back();
  m_free.pop_back();
  return batch;
}

// Reads the next batch of records; false when the source had ended before.
bool ParallelRows::fill(Batch& batch) {
  std::lock_guard lock(m_read_mutex);
  if (m_source_ended) return false;
  batch.sequence = m_read_sequence++;
  batch.count = 0;
  batch.last = false;
  batch.failure = nullptr;
  batch.notes.clear();
  m_filling = &batch;
  try {
    while (batch.count < k_batch_rows && m_source(batch.slots[batch.count].record)) ++batch.count;
    batch.last = batch.count < k_batch_rows;
  } catch (...) {
    batch.failure = std::current_exception();
    batch.last = true;
  }
  m_filling = nullptr;
  m_source_ended = batch.last;
  return true;
}

void ParallelRows::work_on(Batch& batch) {
  for (std::size_t i = 0; i < batch.count; ++i) {
    try {
      m_work(batch.slots[i]);
    } catch (...) {
      // Given in the row's place; the rows after it are not.
      batch.failure = std::current_exception();
      batch.count = i;
      batch.last = true;
      return;
    }
  }
}

void ParallelRows::run_worker() {
  while (Batch* batch = take_free()) {
    if (!fill(*batch)) {
      std::lock_guard lock(m_mutex);
      m_free.push_back(batch);
      return;
    }
    work_on(*batch);
    bool last = batch->last;
    bool wanted = false;
    {
      std::lock_guard lock(m_mutex);
      m_done.emplace(batch->sequence, batch);
      wanted = m_waiting && batch->sequence == m_next_sequence;
    }
    // Woken for the batch it waits for only (not each batch: a wake is a
    // context switch, and batches of 64 rows come by the thousand).
    if (wanted) m_ready.notify_one();
    if (last) return;
  }
}

void ParallelRows::say_notes(std::size_t up_to) {
  auto& notes = m_current->notes;
  while (m_next_note < notes.size() && notes[m_next_note].first <= up_to)
    notes[m_next_note++].second();
}

const RowSlot* ParallelRows::peek() const {
  return m_current && m_position < m_current->count ? &m_current->slots[m_position] : nullptr;
}

RowSlot* ParallelRows::next() {
  for (;;) {
    if (m_current) {
      say_notes(m_position);
      if (m_position < m_current->count) return &m_current->slots[m_position++];
      if (m_current->last) {
        if (m_current->failure) std::rethrow_exception(std::exchange(m_current->failure, nullptr));
        return nullptr;
      }
      {
        std::lock_guard lock(m_mutex);
        m_free.push_back(std::exchange(m_current, nullptr));
      }
      m_freed.notify_one();
    }
    if (m_threads.empty()) {
      // No worker: the caller reads and works on each batch itself.
      m_current = m_free.back();
      m_free.pop_back();
      fill(*m_current);  // the source has not ended: the batch before was not the last
      work_on(*m_current);
      ++m_next_sequence;
      m_position = 0;
      m_next_note = 0;
      continue;
    }
    std::unique_lock lock(m_mutex);
    // The batch of this sequence number was read (numbers are given in order,
    // and a batch is free for it) and is being worked on, or is done.
    m_waiting = true;
    m_ready.wait(lock, [this] { return m_done.count(m_next_sequence) > 0; });
    m_waiting = false;
    auto it = m_done.find(m_next_sequence++);
    m_current = it->second;
    m_done.erase(it);
    m_position = 0;
    m_next_note = 0;
  }
}

}  // namespace prospect_import
