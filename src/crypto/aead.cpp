// AES-256-GCM envelopes. See crypto/aead.hpp.
#include "crypto/aead.hpp"

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/primitives.hpp"

namespace bankfeed::crypto {
namespace detail {

// One thread's contexts in an Aead: the keyed encryption context and a copy of the key it was made with (to notice
// another active key; a SecretKey, wiped when the slot dies), and the same for decryption (under the key of the last
// envelope opened: usually the active key).
struct SealerSlot {
  SecretKey key;
  std::optional<AesGcmSealer> sealer;
  SecretKey open_key;
  std::optional<AesGcmOpener> opener;
};

struct SealerCache {
  std::mutex mu;  // guards the map, not the slots: a slot is only ever used by its own thread
  std::unordered_map<std::thread::id, std::unique_ptr<SealerSlot>> slots;
  // Never 0 and never reused, unlike the cache's address: names the cache in a thread's LastSlot.
  const uint64_t serial = NextSerial();

  static uint64_t NextSerial() {
    static std::atomic<uint64_t> last{0};
    return last.fetch_add(1, std::memory_order_relaxed) + 1;
  }
};

}  // namespace detail

namespace {

// GCM encrypts at most 2^32 - 2 blocks under one nonce (NIST SP 800-38D §5.2.1.1).
constexpr uint64_t kMaxPlaintext = (uint64_t{1} << 36) - 32;

tl::unexpected<Error> Invalid(std::string_view reason) {
  return MakeError(ErrorCode::kInvalidInput, "envelope: " + std::string(reason));
}

struct Parts {
  std::string_view header;  // version, length, key id: the first part of the authenticated data
  std::string_view key_id;
  std::string_view nonce;
  std::string_view sealed;  // ciphertext then tag
};

Result<Parts> Split(std::string_view envelope) {
  if (envelope.empty()) return Invalid("empty");
  if (static_cast<unsigned char>(envelope[0]) != kEnvelopeVersion) return Invalid("unsupported version");
  if (envelope.size() < 2) return Invalid("truncated");
  const size_t id_len = static_cast<unsigned char>(envelope[1]);
  if (id_len == 0) return Invalid("malformed key id");
  if (envelope.size() < 2 + id_len) return Invalid("truncated");
  Parts p;
  p.key_id = envelope.substr(2, id_len);
  if (!IsValidKeyId(p.key_id)) return Invalid("malformed key id");
  if (envelope.size() < 2 + id_len + detail::kNonceBytes + detail::kTagBytes) return Invalid("truncated");
  p.header = envelope.substr(0, 2 + id_len);
  p.nonce = envelope.substr(p.header.size(), detail::kNonceBytes);
  p.sealed = envelope.substr(p.header.size() + detail::kNonceBytes);
  return p;
}

detail::NonceView NonceOf(std::string_view nonce) {
  return detail::NonceView(reinterpret_cast<const unsigned char*>(nonce.data()), detail::kNonceBytes);
}

std::span<unsigned char> Tail(std::string& s, size_t from) {
  return {reinterpret_cast<unsigned char*>(s.data()) + from, s.size() - from};
}

// --- nonces

// Bumped in the child after every fork(), so that a child never hands out a nonce its parent drew (and may hand out
// itself). A lock-free atomic: safe in an atfork handler.
std::atomic<uint64_t> fork_generation{0};
void CountFork() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

// A thread's nonces: drawn from RAND_bytes kNonces at a time (one call instead of one per envelope), each handed out
// once, in order. Dropped unused when the process forked since they were drawn.
class NoncePool {
 public:
  // Writes a fresh nonce to `out`; false if the random generator failed (nothing is handed out then).
  bool Take(unsigned char* out) {
    static const bool fork_aware = ::pthread_atfork(nullptr, nullptr, CountFork) == 0;
    if (!fork_aware) return RAND_bytes(out, static_cast<int>(detail::kNonceBytes)) == 1;  // no buffer then
    const uint64_t generation = fork_generation.load(std::memory_order_relaxed);
    if (next_ == kNonces || generation != generation_) {
      next_ = kNonces;  // empty until the refill succeeds
      if (RAND_bytes(buf_.data(), static_cast<int>(buf_.size())) != 1) return false;
      next_ = 0;
      generation_ = generation;
    }
    std::memcpy(out, buf_.data() + next_ * detail::kNonceBytes, detail::kNonceBytes);
    ++next_;
    return true;
  }

 private:
  static constexpr size_t kNonces = 256;
  std::array<unsigned char, kNonces * detail::kNonceBytes> buf_{};
  size_t next_ = kNonces;  // the next unused nonce; kNonces: none left
  uint64_t generation_ = 0;
};

thread_local NoncePool nonce_pool;

// --- per-thread encryption contexts

// The caches this thread has a slot in. When the thread ends, its slots in the caches that still exist are freed.
class ThreadSlots {
 public:
  ThreadSlots() = default;
  ThreadSlots(const ThreadSlots&) = delete;
  ThreadSlots& operator=(const ThreadSlots&) = delete;
  ~ThreadSlots() {
    const std::thread::id self = std::this_thread::get_id();
    for (const std::weak_ptr<detail::SealerCache>& weak : caches_) {
      const std::shared_ptr<detail::SealerCache> cache = weak.lock();
      if (!cache) continue;
      std::unique_ptr<detail::SealerSlot> slot;  // freed after the lock is released
      const std::lock_guard lock(cache->mu);
      if (auto it = cache->slots.find(self); it != cache->slots.end()) {
        slot = std::move(it->second);
        cache->slots.erase(it);
      }
    }
  }
  void Add(const std::shared_ptr<detail::SealerCache>& cache) {
    std::erase_if(caches_, [](const std::weak_ptr<detail::SealerCache>& w) { return w.expired(); });
    caches_.push_back(cache);
  }

 private:
  std::vector<std::weak_ptr<detail::SealerCache>> caches_;
};

thread_local ThreadSlots thread_slots;

// The cache this thread last used and its slot there, so that a run of envelopes under one Aead finds the slot
// without the cache's lock. A slot lives until its thread ends or its cache is destroyed, and a live cache's serial
// is its own, so a matching serial means the slot is still there.
struct LastSlot {
  uint64_t serial = 0;
  detail::SealerSlot* slot = nullptr;
};
thread_local LastSlot last_slot;

// This thread's slot in `cache`, made on first use.
detail::SealerSlot& SlotOf(const std::shared_ptr<detail::SealerCache>& cache) {
  if (last_slot.serial == cache->serial) return *last_slot.slot;
  const std::thread::id self = std::this_thread::get_id();
  {
    const std::lock_guard lock(cache->mu);
    if (auto it = cache->slots.find(self); it != cache->slots.end()) {
      last_slot = {cache->serial, it->second.get()};
      return *it->second;
    }
  }
  auto slot = std::make_unique<detail::SealerSlot>();
  detail::SealerSlot& mine = *slot;
  {
    const std::lock_guard lock(cache->mu);
    cache->slots.emplace(self, std::move(slot));
  }
  thread_slots.Add(cache);
  last_slot = {cache->serial, &mine};
  return mine;
}

// `context`, keyed for `key` (its copy in `made_with`), or a new one when there is none yet, it is spent or it was
// made with another key. The key test is a plain memcmp, not CRYPTO_memcmp (35 ns, once per envelope): both sides
// are keys this process holds, neither comes from outside, so there is nothing for a timing to reveal to anyone.
template <class Context>
Result<Context*> KeyedFor(std::optional<Context>& context, SecretKey& made_with, detail::KeyView key) {
  const bool usable = context && !context->spent() &&
                      std::memcmp(made_with.view().data(), key.data(), detail::kKeyBytes) == 0;
  if (!usable) {
    context.reset();
    BANKFEED_ASSIGN_OR_RETURN(Context made, Context::Create(key));
    std::copy(key.begin(), key.end(), made_with.mutable_view().begin());
    context.emplace(std::move(made));
  }
  return &*context;
}

// This thread's encryption context for `key` in `cache` (the active key's): keyed on first use, and again after a
// failure or when the active key is another one.
Result<detail::AesGcmSealer*> SealerFor(const std::shared_ptr<detail::SealerCache>& cache, detail::KeyView key) {
  detail::SealerSlot& slot = SlotOf(cache);
  return KeyedFor(slot.sealer, slot.key, key);
}

// This thread's decryption context for `key` in `cache` (the key an envelope names): keyed on first use, and again
// after a failure or for an envelope under another key.
Result<detail::AesGcmOpener*> OpenerFor(const std::shared_ptr<detail::SealerCache>& cache, detail::KeyView key) {
  detail::SealerSlot& slot = SlotOf(cache);
  return KeyedFor(slot.opener, slot.open_key, key);
}

}  // namespace

Result<std::string_view> EnvelopeKeyId(std::string_view envelope) {
  BANKFEED_ASSIGN_OR_RETURN(const Parts parts, Split(envelope));
  return parts.key_id;
}

Aead::Aead(std::shared_ptr<const Keyring> keys)
    : keys_(std::move(keys)), sealers_(std::make_shared<detail::SealerCache>()) {}

Aead::Aead(Keyring keys)
    : keys_(std::make_shared<const Keyring>(std::move(keys))), sealers_(std::make_shared<detail::SealerCache>()) {}

Result<std::string> Aead::Encrypt(std::string_view plaintext, std::string_view associated_data) const {
  Result<std::string> out(tl::in_place);
  if (Status sealed = EncryptAppend(plaintext, associated_data, *out); !sealed) out = tl::unexpected(sealed.error());
  return out;
}

Status Aead::EncryptAppend(std::string_view plaintext, std::string_view associated_data, std::string& out) const {
  if (plaintext.size() > kMaxPlaintext) {
    return MakeError(ErrorCode::kInvalidArgument, "envelope: plaintext too large for one AES-GCM message");
  }
  const KeyEntry& key = keys_->active();
  const std::string& id = key.id();
  const size_t header_size = 2 + id.size();
  const size_t start = out.size();
  out.resize(start + header_size + detail::kNonceBytes + plaintext.size() + detail::kTagBytes);
  char* const env = out.data() + start;
  env[0] = static_cast<char>(kEnvelopeVersion);
  env[1] = static_cast<char>(static_cast<unsigned char>(id.size()));  // 1..255, checked when the key was added
  std::memcpy(env + 2, id.data(), id.size());
  unsigned char* nonce = reinterpret_cast<unsigned char*>(env) + header_size;
  const auto fail = [&](Error error) -> Status {
    out.resize(start);
    return tl::unexpected(std::move(error));
  };
  if (!nonce_pool.Take(nonce)) {
    return fail(MakeError(ErrorCode::kInternal, "envelope: the random generator failed").value());
  }
  Result<detail::AesGcmSealer*> sealer = SealerFor(sealers_, key.aead_key());
  if (!sealer) return fail(std::move(sealer).error());
  const std::string_view header(env, header_size);
  // The sealer wipes the ciphertext it wrote if it fails (and is spent: SealerFor makes a new one next time).
  const Status sealed = (*sealer)->Seal(detail::NonceView(nonce, detail::kNonceBytes), {header, associated_data},
                                        plaintext, Tail(out, start + header_size + detail::kNonceBytes));
  if (!sealed) return fail(sealed.error());
  return {};
}

Result<std::string> Aead::Decrypt(std::string_view envelope, std::string_view associated_data) const {
  // Built in place and returned as is: a moved short string would leave plaintext in the moved-from buffer.
  Result<std::string> out(tl::in_place);
  if (Status opened = DecryptInto(envelope, associated_data, *out); !opened) out = tl::unexpected(opened.error());
  return out;
}

Status Aead::DecryptInto(std::string_view envelope, std::string_view associated_data, std::string& out) const {
  // Wipes `out` to its capacity: it may hold an earlier, longer plaintext past its size.
  const auto wipe = [&out] {
    out.resize(out.capacity());
    OPENSSL_cleanse(out.data(), out.size());
    out.clear();
  };
  const auto fail = [&](Error error) -> Status {
    wipe();
    return tl::unexpected(std::move(error));
  };
  const Result<Parts> parts = Split(envelope);
  if (!parts) return fail(parts.error());
  const KeyEntry* key = keys_->Find(parts->key_id);
  if (key == nullptr) return fail(Invalid("unknown key id").value());
  Result<detail::AesGcmOpener*> opener = OpenerFor(sealers_, key->aead_key());
  if (!opener) return fail(opener.error());
  const size_t size = parts->sealed.size() - detail::kTagBytes;
  if (out.capacity() < size) {
    // A larger buffer: the old one (which may hold an earlier plaintext) is wiped before it is freed.
    wipe();
    std::string().swap(out);
    out.reserve(size);
  }
  out.resize(size);
  // A wrong tag spends the opener; OpenerFor makes a new one next time.
  const Status opened =
      (*opener)->Open(NonceOf(parts->nonce), {parts->header, associated_data}, parts->sealed, Tail(out, 0));
  if (!opened) return fail(opened.error());
  return {};
}

Result<bool> Aead::NeedsReencrypt(std::string_view envelope) const {
  BANKFEED_ASSIGN_OR_RETURN(const std::string_view id, EnvelopeKeyId(envelope));
  return id != keys_->active_key_id();
}

Result<std::string> Aead::Reencrypt(std::string_view envelope, std::string_view associated_data) const {
  Result<std::string> plain = Decrypt(envelope, associated_data);
  if (!plain) return tl::unexpected(std::move(plain).error());
  Result<std::string> out = [&]() -> Result<std::string> {
    if (EnvelopeKeyId(envelope).value_or(std::string_view()) == keys_->active_key_id()) {
      return std::string(envelope);
    }
    return Encrypt(*plain, associated_data);
  }();
  OPENSSL_cleanse(plain->data(), plain->size());
  return out;
}

}  // namespace bankfeed::crypto
