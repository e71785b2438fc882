// OpenSSL's libcrypto, for SHA-256: it uses the CPU's SHA instructions where present (cache keys hash whole
// modules on every launch, so hashing speed is start-up time). The SHA256_* functions are deprecated in
// OpenSSL 3 in favour of EVP, but EVP's first use loads providers (about 0.5 ms); they do not.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
