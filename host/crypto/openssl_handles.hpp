// crypto/openssl_handles.hpp - owning smart pointers for the OpenSSL objects we hold.
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

namespace crow::host {

namespace detail {
template <auto FreeFunction>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    FreeFunction(p);
  }
};
}  // namespace detail

/// An EVP_PKEY (public or private key). A key is immutable once built: sharing one between
/// threads for signing or verifying is safe in OpenSSL 3; cache it rather than re-parsing.
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, detail::OpenSslDeleter<&EVP_PKEY_free>>;
/// A digest/sign/verify context: one per operation (cheap to create), never shared.
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, detail::OpenSslDeleter<&EVP_MD_CTX_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, detail::OpenSslDeleter<&EVP_PKEY_CTX_free>>;
/// A BIGNUM; use BignumSecurePtr for private components (cleared on free).
using BignumPtr = std::unique_ptr<BIGNUM, detail::OpenSslDeleter<&BN_free>>;
using BignumSecurePtr = std::unique_ptr<BIGNUM, detail::OpenSslDeleter<&BN_clear_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, detail::OpenSslDeleter<&ECDSA_SIG_free>>;
using OsslParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, detail::OpenSslDeleter<&OSSL_PARAM_BLD_free>>;
using OsslParamPtr = std::unique_ptr<OSSL_PARAM, detail::OpenSslDeleter<&OSSL_PARAM_free>>;

}  // namespace crow::host
