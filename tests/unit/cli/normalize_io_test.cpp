// normalize's input and output, in process: PaddedInput leaves the padding NormalizeTransactionsTo needs to use the
// body in place (no second copy), from a mapped file and from a pipe, and a file that shrinks under it ends the run
// cleanly; BlockWriter writes whole blocks, and Abandon() puts a regular file back as it was and drops only the
// pending block on a pipe.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
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

TEST(PaddedInput, AFileIsMappedWholeWithReadablePaddingAfterIt) {
  const fs::path dir = FreshTestDir("normalize-io");
  for (const size_t size :
       {size_t{1}, size_t{4095}, size_t{4096}, size_t{4096 - kBodyPadding}, size_t{(3 << 20) + 5}}) {
    const std::string path = (dir / "body").string();
    const std::string data = Pattern(size);
    WriteFile(path, data);
    auto input = PaddedInput::Read(path);
    ASSERT_TRUE(input) << input.error().message;
    EXPECT_TRUE(input->mapped()) << size;
    EXPECT_TRUE(input->bytes() == data) << size;
    // The padding is there to be read (ASan would not see past a mapping: a fault would end the test).
    const char* end = input->bytes().data() + input->bytes().size();
    size_t zeros = 0;
    for (size_t i = 0; i < kBodyPadding; ++i) zeros += end[i] == '\0';
    EXPECT_EQ(zeros, kBodyPadding) << size;
  }
  fs::remove_all(dir);
}

TEST(PaddedInput, AnEmptyFileIsReadNotMapped) {
  const fs::path dir = FreshTestDir("normalize-io");
  const std::string path = (dir / "empty").string();
  WriteFile(path, "");
  auto input = PaddedInput::Read(path);
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_FALSE(input->mapped());
  EXPECT_TRUE(input->bytes().empty());
  fs::remove_all(dir);
}

TEST(PaddedInput, APipeGrowsTheBufferAndKeepsThePadding) {
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
  auto input = PaddedInput::Read("/dev/fd/" + std::to_string(fds[0]));
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_FALSE(input->mapped());
  EXPECT_TRUE(input->bytes() == data);
}

TEST(PaddedInput, AnUnreadableFileIsNotFound) {
  auto input = PaddedInput::Read("/nonexistent/body.json");
  ASSERT_FALSE(input);
  EXPECT_EQ(input.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(input.error().message, "cannot open input file: No such file or directory");
}

// Another process shrinks the file while it is mapped: the next read of a page past the new end faults (SIGBUS).
// The command ends with exit status 66 and a message, and a regular-file output is put back to its first length.
TEST(PaddedInputDeathTest, AFileThatShrinksWhileMappedEndsTheRunWith66AndRestoresTheOutput) {
  // "fast": the child is a fork of this process, so it works on this test's files (a re-executed child, the
  // "threadsafe" style, would make a directory of its own).
  GTEST_FLAG_SET(death_test_style, "fast");
  const fs::path dir = FreshTestDir("normalize-io");
  const std::string path = (dir / "body").string();
  const std::string out_path = (dir / "out").string();
  WriteFile(path, Pattern(64 << 10));
  WriteFile(out_path, "kept\n");
  EXPECT_EXIT(
      {
        auto input = PaddedInput::Read(path);
        if (!input || !input->mapped()) std::_Exit(1);
        const int out = ::open(out_path.c_str(), O_WRONLY | O_APPEND);
        ArmTruncatedInputHandler(out, 5);
        (void)!::write(out, "partial row", 11);
        if (::truncate(path.c_str(), 0) != 0) std::_Exit(2);
        volatile char sum = 0;
        for (const char c : input->bytes()) sum = static_cast<char>(sum + c);  // faults past the new end
        std::_Exit(3);
      },
      ::testing::ExitedWithCode(66), "the input file changed \\(shrank\\) while it was read");
  EXPECT_EQ(ReadFile(out_path), "kept\n");
  fs::remove_all(dir);
}

TEST(PaddedInputDeathTest, ABusErrorElsewhereIsNotTakenForTheInputsAndKillsAsUsual) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const fs::path dir = FreshTestDir("normalize-io");
  const std::string path = (dir / "body").string();
  WriteFile(path, Pattern(64 << 10));
  EXPECT_EXIT(
      {
        auto input = PaddedInput::Read(path);
        if (!input || !input->mapped()) std::_Exit(1);
        ::raise(SIGBUS);
        std::_Exit(3);
      },
      ::testing::KilledBySignal(SIGBUS), "");
  fs::remove_all(dir);
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
