// Rows handed from the thread that normalizes them to a thread that formats and writes them, so that on a machine
// with two cores `bankfeed normalize` formats its output while it reads the next rows.
//
// Batches of rows travel through a bounded queue (at most kDepth batches in flight, so memory stays a few MB whatever
// the input). Consumed batches come back to the producer with their rows still in them, and the producer moves new
// rows over the old ones: every row's strings are allocated and freed on the producer's thread, never freed on the
// other, which keeps malloc's per-thread caches warm.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "bankfeed/model.hpp"

namespace bankfeed::cli {

class RowPipeline {
 public:
  static constexpr size_t kBatchRows = 256;
  static constexpr size_t kDepth = 8;

  // `consume` runs on the pipeline's own thread, once per row in order; it returns false to stop (a write error).
  explicit RowPipeline(std::function<bool(Transaction&)> consume);
  ~RowPipeline();  // joins the thread (after Close(), or as if Close() had been called)
  RowPipeline(const RowPipeline&) = delete;
  RowPipeline& operator=(const RowPipeline&) = delete;

  // Producer side. Takes the row (moved from). False once the consumer has stopped: the caller stops too.
  bool Push(Transaction& row);
  // No more rows: waits until every row pushed so far has been consumed. False if the consumer stopped early.
  bool Close();

 private:
  bool Hand(std::vector<Transaction>&& batch);
  void Run();

  std::function<bool(Transaction&)> consume_;
  std::vector<Transaction> filling_;
  size_t filled_ = 0;  // rows of filling_ that are this batch's; the others are consumed rows to overwrite
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Transaction>> full_;   // guarded by mutex_
  std::vector<std::vector<Transaction>> free_;  // guarded by mutex_
  bool closed_ = false;                         // guarded by mutex_
  bool stopped_ = false;                        // guarded by mutex_: the consumer returned false
  std::thread thread_;                          // last: started once everything above exists
};

}  // namespace bankfeed::cli
