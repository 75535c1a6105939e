// OpenSSL helpers the JWT tests share (jwt_test.cc, cognito_authorizer_test.cc): a key's big-number
// parameter as bytes (JWKS "n", "e") and a SHA-256 signature (RS256 / ES256 in DER) made here.
#pragma once

#include <openssl/bn.h>
#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace cdnlab::gateway::testkeys {

// The parameter `name` (OSSL_PKEY_PARAM_RSA_N, ...) big-endian, left-padded to `pad` bytes when set.
inline std::string bnParam(EVP_PKEY* k, const char* name, int pad = 0) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(k, name, &bn);
  std::string out(static_cast<size_t>(pad ? pad : BN_num_bytes(bn)), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return out;
}

inline std::string sign(EVP_PKEY* k, std::string_view input) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  size_t len = 0;
  EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, k);
  EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string sig(len, '\0');
  EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  sig.resize(len);
  EVP_MD_CTX_free(md);
  return sig;
}

}  // namespace cdnlab::gateway::testkeys
