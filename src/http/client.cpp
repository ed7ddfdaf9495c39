// libcurl multi event loop behind http::Client (see client.hpp).
#include "http/client.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <utility>

#include "common/text.hpp"
#include "http/curl_errors.hpp"
#include "log/log.hpp"
#include "pki/credentials.hpp"

namespace bankfeed::http {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

int ToHttpVersion(long curl_version) {
  switch (curl_version) {
    case CURL_HTTP_VERSION_1_0: return 10;
    case CURL_HTTP_VERSION_1_1: return 11;
    case CURL_HTTP_VERSION_2_0: return 20;
    case CURL_HTTP_VERSION_3: return 30;
    default: return 0;
  }
}

}  // namespace

// A string that is wiped before its memory is released (the client's private key in PEM form). Not in the
// anonymous namespace: Client::Impl holds one.
class SecretBuffer {
 public:
  SecretBuffer() = default;
  ~SecretBuffer() { OPENSSL_cleanse(s_.data(), s_.size()); }
  // Copies `s`; the caller wipes its own copy.
  void Assign(std::string_view s) {
    OPENSSL_cleanse(s_.data(), s_.size());
    s_.assign(s);
  }
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  const std::string& get() const { return s_; }

 private:
  std::string s_;
};

struct Transfer {
  Request request;
  std::promise<Attempt> promise;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  Response response;
  size_t received = 0;
  size_t cap = 0;
  bool too_large = false;
  bool server_asked_for_certificate = false;  // the handshake carried a CertificateRequest
  bool server_accepted_us = false;            // a TLS 1.3 NewSessionTicket arrived: the server finished its side
  std::chrono::steady_clock::time_point started;
  char errbuf[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (header_list != nullptr) curl_slist_free_all(header_list);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }

  bool Count(size_t n) {
    received += n;
    if (received > cap) too_large = true;
    return !too_large;
  }

  // OpenSSL calls a client's cert_cb when the server sends a CertificateRequest. Under TLS 1.3 a server that then
  // refuses our certificate (or our lack of one) sends its alert after we consider the handshake done, and may
  // reset the connection before curl reads it; knowing the server asked is what lets the failure still be reported
  // as a certificate problem rather than a network one.
  static int OnCertificateRequest(SSL*, void* self) {
    static_cast<Transfer*>(self)->server_asked_for_certificate = true;
    return 1;  // carry on with whatever certificate curl configured
  }
  // A TLS 1.3 server sends its session tickets only once it has accepted the client's Finished, and with it our
  // certificate. Seeing one tells a later reset apart from a refusal whose alert got lost.
  static void OnTlsMessage(int write_p, int, int content_type, const void* buf, size_t len, SSL*, void* self) {
    if (write_p == 0 && content_type == SSL3_RT_HANDSHAKE && len > 0 &&
        *static_cast<const unsigned char*>(buf) == SSL3_MT_NEWSESSION_TICKET) {
      static_cast<Transfer*>(self)->server_accepted_us = true;
    }
  }
  static CURLcode OnSslContext(CURL*, void* ssl_ctx, void* self) {
    auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
    SSL_CTX_set_cert_cb(ctx, &Transfer::OnCertificateRequest, self);
    SSL_CTX_set_msg_callback(ctx, &Transfer::OnTlsMessage);
    SSL_CTX_set_msg_callback_arg(ctx, self);
    return CURLE_OK;
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    const size_t bytes = size * n;
    if (!t->Count(bytes)) return 0;  // makes curl stop with CURLE_WRITE_ERROR
    t->response.body.append(data, bytes);
    return bytes;
  }

  static size_t OnHeader(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    const size_t bytes = size * n;
    if (!t->Count(bytes)) return 0;
    std::string_view line(data, bytes);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
      t->response.headers.clear();  // a new response (after 100 Continue): keep only the final one's headers
      return bytes;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return bytes;  // the blank line, or an obs-fold remnant
    t->response.headers.push_back(
        {std::string(TrimOws(line.substr(0, colon))), std::string(TrimOws(line.substr(colon + 1)))});
    return bytes;
  }
};

struct Client::Impl {
  TransportOptions options;
  std::string cert_pem;
  SecretBuffer key_pem;
  CURLM* multi = nullptr;
  std::mutex mu;
  std::deque<std::unique_ptr<Transfer>> incoming;  // guarded by mu
  std::unordered_set<Transfer*> active;            // worker thread only: added to `multi`, not yet finished
  bool stopping = false;                           // guarded by mu
  std::thread worker;

  ~Impl() {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    if (multi != nullptr) curl_multi_wakeup(multi);
    if (worker.joinable()) worker.join();
    if (multi != nullptr) curl_multi_cleanup(multi);
  }

  Status Configure(Transfer& t);
  void Run();
  void Finish(std::unique_ptr<Transfer> t, CURLcode code);
};

Status Client::Impl::Configure(Transfer& t) {
  CURL* e = t.easy = curl_easy_init();
  if (e == nullptr) return MakeError(ErrorCode::kInternal, "curl_easy_init failed");
  const Request& r = t.request;
  curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errbuf);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  // Only https, and never a redirect: the retry layer decides about Location itself.
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  // TLS policy: 1.2 at least, peer and host always verified. There is no option to turn verification off.
  curl_easy_setopt(e, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_bundle_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_bundle_file.c_str());
  if (!cert_pem.empty()) {
    curl_blob cert{const_cast<char*>(cert_pem.data()), cert_pem.size(), CURL_BLOB_COPY};
    curl_blob key{const_cast<char*>(key_pem.get().data()), key_pem.get().size(), CURL_BLOB_COPY};
    curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cert);
    curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &key);
    curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
  }
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
                   static_cast<long>(options.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes_per_second);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.low_speed_window.count()));
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_response_bytes));
  t.cap = options.max_response_bytes;
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, &Transfer::OnSslContext);
  curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, &t);

  if (r.method == "GET") {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else if (r.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
  if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  }
  // Our headers exactly as given. "Expect:" stops curl from adding 100-continue, which some bank gateways mishandle.
  bool has_content_type = false;
  for (const Header& h : r.headers) {
    if (h.name.find_first_of("\r\n:") != std::string::npos || h.value.find_first_of("\r\n") != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "header " + h.name.substr(0, 64) + ": CR, LF or ':' in it");
    }
    has_content_type = has_content_type || FindHeader(r.headers, "Content-Type").has_value();
    const std::string line = h.value.empty() ? h.name + ";" : h.name + ": " + h.value;
    t.header_list = curl_slist_append(t.header_list, line.c_str());
  }
  t.header_list = curl_slist_append(t.header_list, "Expect:");
  if (!has_content_type && !r.body.empty()) {
    t.header_list = curl_slist_append(t.header_list, "Content-Type: application/json");
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.header_list);
  return {};
}

void Client::Impl::Finish(std::unique_ptr<Transfer> t, CURLcode code) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t->started).count();
  Attempt attempt;
  if (code == CURLE_OK && !t->too_large) {
    long status = 0, version = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(t->easy, CURLINFO_HTTP_VERSION, &version);
    t->response.status = static_cast<int>(status);
    t->response.http_version = ToHttpVersion(version);
    log::Debug("http.response", {{"bank", options.bank_id},
                                 {"method", t->request.method},
                                 {"url", t->request.url},
                                 {"status", t->response.status},
                                 {"bytes", static_cast<int64_t>(t->received)},
                                 {"ms", static_cast<int64_t>(ms)},
                                 {"request_id", t->response.request_id}});
    attempt.response = std::move(t->response);
  } else {
    // Past "pretransfer" the connection (and TLS) was up and the request may have gone out.
    curl_off_t pretransfer = 0;
    curl_easy_getinfo(t->easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
    CurlFailure f{code, t->errbuf, t->too_large, options.max_response_bytes, pretransfer > 0,
                  t->server_asked_for_certificate && !t->server_accepted_us, t->received};
    Error err = ClassifyCurlFailure(f, t->request.method, t->request.url);
    err.bank_id = options.bank_id;
    err.request_id = t->response.request_id;
    attempt.reached_server = f.connected;
    log::Warn("http.failure", {{"bank", options.bank_id},
                               {"method", t->request.method},
                               {"url", t->request.url},
                               {"error", std::string(ErrorCodeName(err.code))},
                               {"curl", static_cast<int>(code)},
                               {"ms", static_cast<int64_t>(ms)},
                               {"request_id", err.request_id}});
    attempt.response = tl::unexpected(std::move(err));
  }
  t->promise.set_value(std::move(attempt));
}

void Client::Impl::Run() {
  for (;;) {
    std::deque<std::unique_ptr<Transfer>> batch;
    bool stop = false;
    {
      std::lock_guard lock(mu);
      batch.swap(incoming);
      stop = stopping;
    }
    for (auto& t : batch) {
      if (stop) {
        Attempt a;
        a.response = MakeError(ErrorCode::kNetwork, "client shut down before the request was sent");
        a.reached_server = false;
        t->promise.set_value(std::move(a));
        continue;
      }
      if (Status s = Configure(*t); !s) {
        Attempt a;
        a.response = tl::unexpected(s.error());
        a.reached_server = false;
        t->promise.set_value(std::move(a));
        continue;
      }
      t->started = std::chrono::steady_clock::now();
      curl_multi_add_handle(multi, t->easy);
      active.insert(t.get());
      t.release();  // owned by the multi handle until done (CURLOPT_PRIVATE points back at it)
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* raw = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
      const CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi, msg->easy_handle);
      active.erase(raw);
      Finish(std::unique_ptr<Transfer>(raw), code);
    }
    if (stop) {
      // Fail whatever is still running, then leave.
      for (Transfer* raw : active) {
        curl_multi_remove_handle(multi, raw->easy);
        std::unique_ptr<Transfer> t(raw);
        Attempt a;
        a.response = MakeError(ErrorCode::kNetwork, "client shut down while the request was in flight");
        t->promise.set_value(std::move(a));
      }
      active.clear();
      return;
    }
    curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
}

Result<std::unique_ptr<Client>> Client::Make(const TransportOptions& options) {
  GlobalInit();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (options.max_connections < 1 || options.max_connections_per_host < 1) {
    return MakeError(ErrorCode::kConfig, "transport: max_connections and max_connections_per_host must be >= 1");
  }
  if (options.max_redirects < 0 || options.max_response_bytes == 0) {
    return MakeError(ErrorCode::kConfig, "transport: max_redirects must be >= 0 and max_response_bytes > 0");
  }
  if (options.client_identity) {
    BANKFEED_ASSIGN_OR_RETURN(pki::Credential credential, pki::Credential::Load(*options.client_identity));
    impl->cert_pem = credential.CertificateChainPem();
    std::string key = credential.KeyPem();
    impl->key_pem.Assign(key);
    OPENSSL_cleanse(key.data(), key.size());
  }
  impl->multi = curl_multi_init();
  if (impl->multi == nullptr) return MakeError(ErrorCode::kInternal, "curl_multi_init failed");
  curl_multi_setopt(impl->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  curl_multi_setopt(impl->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(options.max_connections));
  curl_multi_setopt(impl->multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options.max_connections_per_host));
  Impl* raw = impl.get();
  impl->worker = std::thread([raw] { raw->Run(); });
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

const TransportOptions& Client::options() const { return impl_->options; }

std::future<Attempt> Client::Start(Request request) {
  auto t = std::make_unique<Transfer>();
  if (!request.RequestId()) request.headers.push_back({"X-Request-ID", NewRequestId()});
  t->response.request_id = std::string(*request.RequestId());
  t->response.url = request.url;
  t->request = std::move(request);
  std::future<Attempt> f = t->promise.get_future();
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) {
      Attempt a;
      a.response = MakeError(ErrorCode::kNetwork, "client shut down");
      a.reached_server = false;
      t->promise.set_value(std::move(a));
      return f;
    }
    impl_->incoming.push_back(std::move(t));
  }
  curl_multi_wakeup(impl_->multi);
  return f;
}

}  // namespace bankfeed::http
