// Vectors produced by independent implementations, so our code is checked against more than itself.
//  - kNode*: Node 20 (node:crypto generateKeyPairSync, KeyObject.export({format:"jwk"}), crypto.sign with
//    dsaEncoding "ieee-p1363" for ES256), generated once with a throwaway script; the keys protect nothing.
//  - kBetterAuth*: copied from shared/better-auth/transcript-1.7.25.md (a live better-auth 1.7.25 server,
//    secret "test-secret-0123456789abcdefghijklmnopqrstuvwxyz").
//  - kNoble*: @noble/ciphers xchacha20poly1305 + managedNonce (what Better Auth uses), key SHA-256(secret).
#pragma once

namespace crow::test_vectors {

inline constexpr const char* kNodeEdDsaPublicJwk = R"~({"crv":"Ed25519","x":"X7UiveExcg0V57seMwLqE7GiUf4tpDVSQIZSofg8YLw","kty":"OKP"})~";
inline constexpr const char* kNodeEdDsaPrivateJwk = R"~({"crv":"Ed25519","d":"srjiHUUV3M3FzFq93JYRddC1e2fkkFpn0K8_aQ6nIa4","x":"X7UiveExcg0V57seMwLqE7GiUf4tpDVSQIZSofg8YLw","kty":"OKP"})~";
/// Header {"alg":"EdDSA","kid":"k1"}, payload kNodePayloadJson.
inline constexpr const char* kNodeEdDsaToken = R"~(eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1c2VyLTEiLCJpYXQiOjE3OTU4ODc4NjMsImV4cCI6MTc5NTg4ODc2MywiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIiwiYXVkIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIn0.UZKEnMA9hUXZjGt5XzI1IYyoEjYtcpgCL7xr5KUgmu-yW0_YLb4TyJlK-3OgE5h_qpeaXhWvO0UI67BqDoIHDA)~";

inline constexpr const char* kNodeEs256PublicJwk = R"~({"kty":"EC","x":"lHqibdRDcDsJx1HviUFtctLFwdAanFrLfMQfCgNWgFk","y":"-TQOWAZrEiJavavPIiUELiJFC9apO7KPMHkyQMFj6NQ","crv":"P-256"})~";
inline constexpr const char* kNodeEs256PrivateJwk = R"~({"kty":"EC","x":"lHqibdRDcDsJx1HviUFtctLFwdAanFrLfMQfCgNWgFk","y":"-TQOWAZrEiJavavPIiUELiJFC9apO7KPMHkyQMFj6NQ","crv":"P-256","d":"jPims_h2BZjII3r096aMIP1cTCP4iOLmYsnedgHw468"})~";
/// Header {"alg":"ES256","kid":"k1"}, payload kNodePayloadJson.
inline constexpr const char* kNodeEs256Token = R"~(eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1c2VyLTEiLCJpYXQiOjE3OTU4ODc4NjMsImV4cCI6MTc5NTg4ODc2MywiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIiwiYXVkIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIn0.VaejyxvOZwuUWX37_DuaINxf3gG9CcOIDZzC5i070PaqNaH9Y7PZT-qC_SGiGwjZ5zVt5ud33xJwhToMocsjuw)~";

inline constexpr const char* kNodeRs256PublicJwk = R"~({"kty":"RSA","n":"qpKpyFilQrTFQgLRb5ccJTXARD9KMqfNJCofvOG1T3Wx-8gE_92IF0IuwFV6dG_OGT0_vaNzHhHfqXrNcJXu-WZMsfPfiq0KpNkiBs1wfuG3aLKgZ5xRO01i0bL0Z6sTm8zBnOsUFCCnwnLxOrkK7EEJOR4EGDy97XVQIzM8pdTZJU2jK7OxOuVLeCF0eM606Yrjv8WGGDa3NzVJFWoTj1qWwjBAHfbBy4u9JbR4oamgNo3HuIFMvXZArvJygoMKrsa5sylbNDE6qcg6ZlnFF2SZg4zu3qy8tVKcAl_zhV2zeXD8VCFEwBtYBmC3peQdrliOfE_fXP9CpmyuEPSP5w","e":"AQAB"})~";
inline constexpr const char* kNodeRs256PrivateJwk = R"~({"kty":"RSA","n":"qpKpyFilQrTFQgLRb5ccJTXARD9KMqfNJCofvOG1T3Wx-8gE_92IF0IuwFV6dG_OGT0_vaNzHhHfqXrNcJXu-WZMsfPfiq0KpNkiBs1wfuG3aLKgZ5xRO01i0bL0Z6sTm8zBnOsUFCCnwnLxOrkK7EEJOR4EGDy97XVQIzM8pdTZJU2jK7OxOuVLeCF0eM606Yrjv8WGGDa3NzVJFWoTj1qWwjBAHfbBy4u9JbR4oamgNo3HuIFMvXZArvJygoMKrsa5sylbNDE6qcg6ZlnFF2SZg4zu3qy8tVKcAl_zhV2zeXD8VCFEwBtYBmC3peQdrliOfE_fXP9CpmyuEPSP5w","e":"AQAB","d":"H7e-94C4VkOcDI7OmBP-yVKJ6obkSrAWPtvQZASKfPiTPJDwkQ2GIWEOpXgfmagyqFHR2PccUGKddvvdWMqgkeK6bzq8fiJ4QLgZki9AdG-PddoFZs7T8hWNQxYmSWKv9kAoXn_-D1IVL9zEy5keFVlwmBzjQQiGfrHaUXlVFTbFx7syIEnRRlhyUybL3oCRAm0TUEvILQqH59AtnMa1r6AbNTK3hWj4Ivc3yGr6UbRvLqkuUDCgRO57tMl6mfNhSDOnHb-OMXmgpCEuOJBcD6_P9RkeuyT_YgBJiccVax4Vt_7MhmjCDdeOUAran7o_qr1n7uVQMQWnoRSWbXPiMQ","p":"3KMrrCkDvmivrZ1TDvuxvDqYj1GaHQKMrfdNviUcaA5M_8rkawb39sb6J3OKcpMeSSP5AS_L32FBePv0F7QkU047KTiQ-wQZb_hSswQi84yHSunjPiIpyZyCTKlpK9UJ3PYAQ16wWYdQCBPbH_bEybnoQEy9_oEOv0MDbOEMD7c","q":"xelUT5Cx3ovM4iVbZNzdHu_ggs5Avlg7BsuLtnyiBhQgXOLbrsVKEfLnrRWQJ2wf3xcG6ALatGd15f7zUWWDwct4rttcE6jFQ4-sXtB01rAqMGefdrBasHv2ZQEUSmDxSakrEufdXhMgaGWy6_ucalvf-WVU6iXK1ZKb5ujLIVE","dp":"IOYDoQwMjtu1NkH7HITTH6ntDZGxVRoIN_hkEzIdZjabrJhoLr0_RACvVCqaPjNJlMZUXqTt1UT_KjcHUnF96R4FHERe-c7GrDduvVqki4QsuDLfu2gEqxc3Jo8sK2j8q4HS0DjSOsc-W7X6Om3lMd8SjmPjAIvl0wb-_8Eet0k","dq":"qMtLTBz1hwAm-w2veEPjF5qxGf79OxqXJUF-5GJB8ftCatZVVScQ-GP6ciW879KJEEVcb47XpxvCcynRri9tg2CdikyuqFm9_NRRx__0VpKjOOt4FstsXa8sQ5L7EkDCKfftM8-rfqvDbSanxhqvmgrH6LYjCRy4dRT4gKU1cjE","qi":"k5LvSfgGhWpRftI_NzMaeFFzS3fhZ0SyhJPeDt8I4aeqX1SDiDfi3GL3lvuf97cDmy119QwRL2IShGeH1xIRD1Sa9T-QSSMzmCWR2g_i5lJHk1KQhpImes9kXKphHLZVopchptTIGhEu2Ix5k3QG1HGF9_YWMygTnSdpcLe1vNQ"})~";
/// Header {"alg":"RS256","kid":"k1"}, payload kNodePayloadJson.
inline constexpr const char* kNodeRs256Token = R"~(eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1c2VyLTEiLCJpYXQiOjE3OTU4ODc4NjMsImV4cCI6MTc5NTg4ODc2MywiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIiwiYXVkIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIn0.aWNDIYaQ0Tu5t_1y-5wPemf4N3NLpGuOWZP6A1setZCPIdDQp8z9lszaQUbhoNyRw99eabWftJy_n0qdkmruNuPgb7MLrPbY1_yAIvv_s7Fls7BOnTkqNtWDt7P94tInKc0uNB46Qko8-DTAJA8TYsBQm-OiFPqqSWipqaAph_oGNMiOPoyIwDub-dA5-QiLnUHPfQeBv4W0o1Ga2LwgLA7C8mx3PYBryjQZZLmcLLRcO1cN6oa_rkFUZmDsWBnKToX68eE0tvvdHIiEr5dStXKhpSFP3Dts_P4BtxfO-0F4i7sndiUHFkl7KJ7fq7Q_33hQRXE0TAbrxf9kDd0Oww)~";

inline constexpr const char* kNodePayloadJson = R"~({"sub":"user-1","iat":1795887863,"exp":1795888763,"iss":"http://localhost:3000","aud":"http://localhost:3000"})~";

inline constexpr const char* kBetterAuthSecret = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz";
inline constexpr const char* kBetterAuthKid = "jz8Fe8wBmJhABOWnpYqBgLxy9jnqQmWN";
/// jwks.publicKey of the transcript's row.
inline constexpr const char* kBetterAuthPublicKeyColumn = R"~({"crv":"Ed25519","x":"M5PecjLziJf6crH5CUlHwW-YpCf9rsi87_JpyHmYBhE","kty":"OKP"})~";
/// jwks.privateKey of the same row: a JSON string literal holding the hex ciphertext.
inline constexpr const char* kBetterAuthPrivateKeyColumn = R"~("0b1be3217cdbe0051cc6c3b9f8832a0d35e41d2e6fb49f5d27afb578429b70b0abffe972b675d9c9a512ff700d12e3e14e1bdb8e65d9bef3bd33af1059a2c18c50d9dd8ac537e14f078fa5cfe6dd89e266033494b06dfd850ceb7c06981e52065a19557c05529a17fbdd9a408fb6caa357f6822942f2e218cfff895fc2624c77b0f27b887676c5eef9db3b1da1d6aae76aa29a5866862cd8bbc99c19c95e17a266f5364f9f27847038")~";
/// What that ciphertext decrypts to (decrypted independently with @noble/ciphers).
inline constexpr const char* kBetterAuthPrivateJwk = R"~({"crv":"Ed25519","d":"oe_wsN8naXh5NqSYfpuBQzzDRAJtRxx7BF30of95lnA","x":"M5PecjLziJf6crH5CUlHwW-YpCf9rsi87_JpyHmYBhE","kty":"OKP"})~";
/// A /token response of the transcript, signed by Better Auth with that key.
inline constexpr const char* kBetterAuthToken = "eyJhbGciOiJFZERTQSIsImtpZCI6Imp6OEZlOHdCbUpoQUJPV25wWXFCZ0x4eTlqbnFRbVdOIn0.eyJpYXQiOjE3OTU4ODc4NjMsIm5hbWUiOiJBbGljZSBBIiwiZW1haWwiOiJhbGljZUBleGFtcGxlLmNvbSIsImVtYWlsVmVyaWZpZWQiOnRydWUsImltYWdlIjoiaHR0cHM6Ly9pbWcveC5wbmciLCJjcmVhdGVkQXQiOiIyMDI2LTExLTI4VDE3OjQ0OjIxLjM4M1oiLCJ1cGRhdGVkQXQiOiIyMDI2LTExLTI4VDE3OjQ0OjIzLjA5N1oiLCJpZCI6InlPM1I3RjJZbzJuY3Y0Z1laejgwbGF4MXkwaHR1REE1Iiwic3ViIjoieU8zUjdGMllvMm5jdjRnWVp6ODBsYXgxeTBodHVEQTUiLCJleHAiOjE3OTU4ODg3NjMsImlzcyI6Imh0dHA6Ly9sb2NhbGhvc3Q6MzAwMCIsImF1ZCI6Imh0dHA6Ly9sb2NhbGhvc3Q6MzAwMCJ9.nUVbN5BncX3w8kZ7XM7FmlRko0gAgnf1vBjqXndq89GmHqxAfTy8b2TNwneXY0ok1nPeXPe9eVrGqDT6PyeFCA";
inline constexpr const char* kBetterAuthTokenHeaderJson = R"~({"alg":"EdDSA","kid":"jz8Fe8wBmJhABOWnpYqBgLxy9jnqQmWN"})~";
inline constexpr const char* kBetterAuthTokenPayloadJson = R"~({"iat":1795887863,"name":"Alice A","email":"alice@example.com","emailVerified":true,"image":"https://img/x.png","createdAt":"2026-11-28T17:44:21.383Z","updatedAt":"2026-11-28T17:44:23.097Z","id":"yO3R7F2Yo2ncv4gYZz80lax1y0htuDA5","sub":"yO3R7F2Yo2ncv4gYZz80lax1y0htuDA5","exp":1795888763,"iss":"http://localhost:3000","aud":"http://localhost:3000"})~";
/// account.password of the transcript's user (password "password1234").
inline constexpr const char* kBetterAuthStoredPassword = "d6ae2fa711209e28e1ac2586afd80274:894cad7a32ebc819ac1cbc1395d15657a862e3b3d90f908fdb77be0da6f889b58c6ad2635bd6c87835899dc491537f7765b0f4084f6d28710c33c10835fbba76";

/// symmetricEncrypt(kBetterAuthSecret, kNoblePlaintext) by @noble/ciphers.
inline constexpr const char* kNoblePlaintext = "{\"hello\":\"w\xc3\xb6rld\"}";
inline constexpr const char* kNobleCiphertext = "2fbe25758fcf55369cc0fb465f7849a314735d2a40c4cfe931ca35c3631df456f636241eaf0920e7bb710f6c7f6d5fcfd5571c201dc54cca3545";

/// Node crypto.scryptSync(password.normalize("NFKC"), kScryptSalt, 64, {N:16384, r:16, p:1}).
inline constexpr const char* kScryptSalt = "0123456789abcdef0123456789abcdef";
inline constexpr const char* kScryptKeyPassword1234 = "74369303c2129f51b1d88426bc1ea315373e0161c8b065ebff3c355c80ef17331fbba17d67d0aa89370462b5143bdbc1edf3080c5a0721978639f914aa7aeb4f";
/// For "\u212B" (ANGSTROM SIGN) and "\u00C5" alike: NFKC maps both to U+00C5.
inline constexpr const char* kScryptKeyAringAbove = "e959f483414422fc7f46cb4dd7f86bd0b17c3189fadc981cb51859d2eb4708a92b2f5d7de4c200b15e8f8a9fde7493f91b555e93d7f4b4e9a6b64faba5e341bc";
/// For "p\0w" (an embedded NUL).
inline constexpr const char* kScryptKeyEmbeddedNul = "c71c8f9c196dd8f3f43c491ba674e5cc939595ae522a7f09a733e897250b1d1c7cd880dab90942c157fbff1683fbd04caeef97aa529fed4b921832e8186562d5";
/// For the empty password.
inline constexpr const char* kScryptKeyEmpty = "55058c3885e00fd4b8d5ffbfbc0712b7cf72ebf2e5adcf8bf7e9cd2c21dd25d3c1568130c23015b3b0bd3cc8b1480b41dc00c8775ddb39e67e0439d785c11a1d";

}  // namespace crow::test_vectors
