// normalize's input and output, in process: ReadPaddedInput leaves the padding NormalizeTransactionsTo needs to use
// the body in place (no second copy), from a file and from a pipe; BlockWriter writes whole blocks, and Abandon()
// puts a regular file back as it was and drops only the pending block on a pipe.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "bankfeed/normalize.hpp"
#include "tools/bankfeed/block_writer.hpp"
#include "tools/bankfeed/padded_input.hpp"
#include "unit/temp_store.hpp"
#include "unit/test_util.hpp"

namespace bankfeed::cli::normalize_io_test {
namespace {

namespace fs = std::filesystem;
using testing::FreshTestDir;
using testing::ReadFile;
using testing::WriteFile;

std::string Pattern(size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

TEST(ReadPaddedInput, AFileIsReadWholeWithThePaddingThatAvoidsACopy) {
  const fs::path dir = FreshTestDir("normalize-io");
  for (const size_t size : {size_t{0}, size_t{1}, size_t{4095}, size_t{4096}, size_t{(3 << 20) + 5}}) {
    const std::string path = (dir / "body").string();
    const std::string data = Pattern(size);
    WriteFile(path, data);
    auto body = ReadPaddedInput(path);
    ASSERT_TRUE(body) << body.error().message;
    EXPECT_TRUE(*body == data) << size;
    EXPECT_GE(body->capacity(), body->size() + kBodyPadding) << size;
    EXPECT_LT(body->capacity(), size + kBodyPadding + 4096) << "a file of known size is read into its size";
  }
  fs::remove_all(dir);
}

TEST(ReadPaddedInput, APipeGrowsTheBufferAndKeepsThePadding) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string data = Pattern((5 << 20) + 17);  // many pipe reads and several times the buffer's growth
  std::thread writer([&] {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fds[1], data.data() + done, std::min<size_t>(data.size() - done, 100000));
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::close(fds[1]);
  });
  auto body = ReadPaddedInput("/dev/fd/" + std::to_string(fds[0]));
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_TRUE(*body == data);
  EXPECT_GE(body->capacity(), body->size() + kBodyPadding);
}

TEST(ReadPaddedInput, AnUnreadableFileIsNotFound) {
  auto body = ReadPaddedInput("/nonexistent/body.json");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(body.error().message, "cannot open input file: No such file or directory");
}

// Appends `rows` numbered lines, as normalize appends its rows, returning what was appended.
std::string AppendRows(BlockWriter& out, size_t rows) {
  std::string all;
  for (size_t i = 0; i < rows; ++i) {
    const std::string line = "{\"row\":" + std::to_string(i) + ",\"pad\":\"" + std::string(90, 'x') + "\"}\n";
    out.pending() += line;
    all += line;
    EXPECT_TRUE(out.Appended());
  }
  return all;
}

TEST(BlockWriter, AbandonPutsAnAppendedFileBackAsItWas) {
  const fs::path dir = FreshTestDir("normalize-io");
  const std::string path = (dir / "out").string();
  WriteFile(path, "kept\n");
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  {
    BlockWriter out(fd);
    AppendRows(out, 10000);  // about 1 MB: several blocks reach the file
    EXPECT_GT(fs::file_size(path), 5u + BlockWriter::kBlockBytes);
    EXPECT_TRUE(out.Abandon());
  }
  EXPECT_EQ(ReadFile(path), "kept\n");
  EXPECT_EQ(::lseek(fd, 0, SEEK_CUR), 5) << "the offset is back at the end of what was kept";
  ::close(fd);
  fs::remove_all(dir);
}

TEST(BlockWriter, FinishWritesEverythingInOrder) {
  const fs::path dir = FreshTestDir("normalize-io");
  const std::string path = (dir / "out").string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  BlockWriter out(fd);
  const std::string all = AppendRows(out, 10000);
  EXPECT_TRUE(out.Finish());
  ::close(fd);
  EXPECT_TRUE(ReadFile(path) == all);
  fs::remove_all(dir);
}

TEST(BlockWriter, AbandonOnAPipeDropsOnlyThePendingBlock) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string received;
  std::thread reader([&] {
    char buf[65536];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) received.append(buf, static_cast<size_t>(n));
  });
  std::string all;
  {
    BlockWriter out(fds[1]);
    all = AppendRows(out, 10000);
    EXPECT_TRUE(out.Abandon());
  }
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  ASSERT_FALSE(received.empty());
  EXPECT_LT(received.size(), all.size());
  EXPECT_GE(received.size(), all.size() - BlockWriter::kBlockBytes - 200) << "only the pending block is dropped";
  EXPECT_EQ(received.back(), '\n');
  EXPECT_TRUE(all.compare(0, received.size(), received) == 0) << "what went out is a prefix of whole rows";
}

}  // namespace
}  // namespace bankfeed::cli::normalize_io_test
