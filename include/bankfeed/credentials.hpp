// bankfeed/credentials.hpp: where our own certificate and private key come from.
//
// One CredentialSource names a QWAC (the mTLS client identity) or a QSealC (the request-signing key). Loading it
// checks everything up front and fails with ErrorCode::kConfig and a message naming the file and the problem:
// unreadable files, key or password files readable by group or others, a wrong password, a certificate that does
// not match its key, or one that has expired or is not valid yet. Messages never hold key material or passwords.
//
//   bankfeed::CredentialSource qwac;
//   qwac.certificate_file = "/etc/bankfeed/qwac.p12";
//   qwac.password_file = "/etc/bankfeed/qwac.p12.pass";
#pragma once

#include <string>

namespace bankfeed {

struct CredentialSource {
  // PEM (the leaf certificate first, then any chain certificates) or PKCS#12 (.p12/.pfx). The format is detected
  // from the content, not the extension. A PKCS#12 file holds the key, so it must be mode 0600 like a key file.
  std::string certificate_file;
  // PEM private key (PKCS#8, encrypted or not, or the traditional RSA/EC forms). Empty with PKCS#12.
  std::string key_file;
  // Optional: the password of the key or the PKCS#12 file. One trailing newline (\n or \r\n) is ignored. Must be
  // mode 0600 (not readable by group or others).
  std::string password_file;
  // Optional: the name of an environment variable holding the password. At most one of password_file and
  // password_env may be set. Without either, a PKCS#12 file is opened with the empty password.
  std::string password_env;
};

}  // namespace bankfeed
