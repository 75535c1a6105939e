// Test certificates made at test time (no key is committed): a fresh EC P-256 key and a
// self-signed certificate for localhost / 127.0.0.1, written as PEM files. Used by the TLS unit
// tests and the TLS handshake fuzz target.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <string>

namespace cdnlab::http::testing {

struct TestCert {
  std::string certFile;
  std::string keyFile;
  bool ok = false;
};

// Writes <dir>/<name>.crt and <dir>/<name>.key. ok is false if OpenSSL or the files failed.
inline TestCert makeTestCert(const std::string& dir, const std::string& name = "server") {
  TestCert out{dir + "/" + name + ".crt", dir + "/" + name + ".key", false};
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  if (!key || !x) {
    EVP_PKEY_free(key);
    X509_free(x);
    return out;
  }
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key);
  X509_NAME* subject = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, subject);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
  bool good = true;
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    good = good && ext && X509_add_ext(x, ext, -1) == 1;
    X509_EXTENSION_free(ext);
  }
  good = good && X509_sign(x, key, EVP_sha256()) > 0;
  if (good) {
    FILE* c = std::fopen(out.certFile.c_str(), "wb");
    FILE* k = std::fopen(out.keyFile.c_str(), "wb");
    good = c && k && PEM_write_X509(c, x) == 1 && PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    if (c) std::fclose(c);
    if (k) std::fclose(k);
  }
  X509_free(x);
  EVP_PKEY_free(key);
  out.ok = good;
  return out;
}

}  // namespace cdnlab::http::testing
