#ifndef RAPPORT_COPENSSL_SHIM_H
#define RAPPORT_COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/hmac.h>

/// OPENSSL_free is a macro Swift cannot import.
static inline void rapport_openssl_free(void *p) {
    OPENSSL_free(p);
}

#endif
