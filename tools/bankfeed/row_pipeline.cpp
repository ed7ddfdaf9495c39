#include "tools/bankfeed/row_pipeline.hpp"

#include <utility>

namespace bankfeed::cli {

RowPipeline::RowPipeline(std::function<bool(Transaction&)> consume)
    : consume_(std::move(consume)), thread_([this] { Run(); }) {
  filling_.reserve(kBatchRows);
}

RowPipeline::~RowPipeline() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool RowPipeline::Push(Transaction& row) {
  if (filled_ < filling_.size()) {
    filling_[filled_] = std::move(row);
  } else {
    filling_.push_back(std::move(row));
  }
  if (++filled_ < kBatchRows) return true;
  return Hand(std::move(filling_));
}

bool RowPipeline::Hand(std::vector<Transaction>&& batch) {
  batch.resize(filled_);  // the last batch may be short: the consumed rows past it go (freed on this thread)
  filled_ = 0;
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return stopped_ || full_.size() < kDepth; });
  if (stopped_) return false;
  full_.push_back(std::move(batch));
  if (!free_.empty()) {
    filling_ = std::move(free_.back());
    free_.pop_back();
  } else {
    filling_ = {};
    filling_.reserve(kBatchRows);
  }
  lock.unlock();
  changed_.notify_all();
  return true;
}

bool RowPipeline::Close() {
  if (filled_ > 0 && !Hand(std::move(filling_))) return false;
  std::unique_lock lock(mutex_);
  closed_ = true;
  changed_.notify_all();
  changed_.wait(lock, [&] { return stopped_ || full_.empty(); });
  lock.unlock();
  if (thread_.joinable()) thread_.join();
  std::lock_guard again(mutex_);
  return !stopped_;
}

void RowPipeline::Run() {
  for (;;) {
    std::vector<Transaction> batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !full_.empty() || closed_; });
      if (full_.empty()) return;  // closed and drained
      batch = std::move(full_.front());
      full_.pop_front();
    }
    changed_.notify_all();
    bool ok = true;
    for (Transaction& row : batch) {
      if (!(ok = consume_(row))) break;
    }
    std::lock_guard lock(mutex_);  // the rows go back with the batch: the producer frees them
    if (!ok) {
      stopped_ = true;
      full_.clear();
      changed_.notify_all();
      return;
    }
    free_.push_back(std::move(batch));
    changed_.notify_all();
  }
}

}  // namespace bankfeed::cli
