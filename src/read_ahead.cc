#include "prospect_import/read_ahead.h"

#include <utility>
#include <vector>

namespace prospect_import {
namespace {

constexpr std::size_t k_batch_records = 512;
constexpr std::size_t k_batches = 4;

}  // namespace

struct ReadAhead::Batch {
  std::vector<Record> records = std::vector<Record>(k_batch_records);
  std::size_t count = 0;
  bool last = false;           // the source ended (or threw) after `count` records
  std::exception_ptr failure;  // what it threw
  // Said before records[index] is given (or at the end, for index == count).
  std::vector<std::pair<std::size_t, std::function<void()>>> notes;
};

ReadAhead::ReadAhead(std::function<bool(Record&)> source) : m_source(std::move(source)) {
  for (std::size_t i = 0; i < k_batches; ++i) m_free.push_back(std::make_unique<Batch>());
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_freed.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

std::function<void(const std::string&)> ReadAhead::deferred(
    std::function<void(const std::string&)> say) {
  return [this, say = std::move(say)](const std::string& text) {
    m_filling->notes.emplace_back(m_filling->count, [say, text] { say(text); });
  };
}

void ReadAhead::start() {
  m_thread = std::thread([this] { read(); });
}

void ReadAhead::read() {
  for (;;) {
    std::unique_ptr<Batch> batch;
    {
      std::unique_lock lock(m_mutex);
      m_freed.wait(lock, [this] { return m_stop || !m_free.empty(); });
      if (m_stop) return;
      batch = std::move(m_free.front());
      m_free.pop_front();
    }
    batch->count = 0;
    batch->notes.clear();
    m_filling = batch.get();
    try {
      while (batch->count < k_batch_records && m_source(batch->records[batch->count]))
        ++batch->count;
      batch->last = batch->count < k_batch_records;
    } catch (...) {
      batch->failure = std::current_exception();
      batch->last = true;
    }
    m_filling = nullptr;
    bool last = batch->last;
    {
      std::lock_guard lock(m_mutex);
      m_full.push_back(std::move(batch));
    }
    m_filled.notify_one();
    if (last) return;
  }
}

void ReadAhead::say_notes(std::size_t up_to) {
  auto& notes = m_current->notes;
  while (m_next_note < notes.size() && notes[m_next_note].first <= up_to)
    notes[m_next_note++].second();
}

bool ReadAhead::next(Record& record) {
  for (;;) {
    if (m_current) {
      say_notes(m_position);
      if (m_position < m_current->count) {
        std::swap(record, m_current->records[m_position++]);
        return true;
      }
      if (m_current->last) {
        if (m_current->failure) std::rethrow_exception(std::exchange(m_current->failure, nullptr));
        return false;
      }
      {
        std::lock_guard lock(m_mutex);
        m_free.push_back(std::move(m_current));
      }
      m_freed.notify_one();
    }
    std::unique_lock lock(m_mutex);
    m_filled.wait(lock, [this] { return !m_full.empty(); });
    m_current = std::move(m_full.front());
    m_full.pop_front();
    m_position = 0;
    m_next_note = 0;
  }
}

}  // namespace prospect_import
