/* SPDX-License-Identifier: MIT */
/* The OpenID Connect documents as doudi reads them: the members it uses,
 * unknown ones ignored, a missing or mistyped one named; aud as a string
 * or an array; the ID number claim as a string only; duplicate members
 * refused (two "aud" or two "nonce" must not be read two ways). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena_fixture.h"
#include "unit_main.h"

#include "json/json_oidc.h"

/* The claims of text for client "doudi" and claim "id_number". */
static enum dd_status
claims(const char *text, struct json_oidc_claims *c, const char **bad)
{
    *bad = "";
    return json_oidc_claims(ar, text, strlen(text), "doudi", "id_number", c,
                            bad);
}

#define BASE "\"iss\":\"http://i\",\"sub\":\"s\",\"exp\":200,\"iat\":100"

TEST_CASE(test_claims)
{
    struct json_oidc_claims c;
    const char *bad;
    assert_int_equal(claims("{" BASE ",\"aud\":\"doudi\",\"nonce\":\"n\","
                            "\"id_number\":\"11010519491231002X\","
                            "\"other\":{\"x\":[1]}}",
                            &c, &bad),
                     DD_OK);
    assert_string_equal(c.iss, "http://i");
    assert_string_equal(c.nonce, "n");
    assert_string_equal(c.id_value, "11010519491231002X");
    assert_string_equal(c.azp, "");
    assert_int_equal(c.exp, 200);
    assert_int_equal(c.iat, 100);
    assert_int_equal(c.has_nbf, 0);
    assert_int_equal(c.aud_ok, 1);
    assert_int_equal(c.aud_count, 1);

    /* aud as an array, with and without the client; azp and nbf read */
    assert_int_equal(claims("{" BASE ",\"aud\":[\"x\",\"doudi\"],"
                            "\"azp\":\"doudi\",\"nbf\":90}",
                            &c, &bad),
                     DD_OK);
    assert_int_equal(c.aud_ok, 1);
    assert_int_equal(c.aud_count, 2);
    assert_string_equal(c.azp, "doudi");
    assert_int_equal(c.has_nbf, 1);
    assert_int_equal(c.nbf, 90);
    assert_string_equal(c.id_value, "");
    assert_int_equal(claims("{" BASE ",\"aud\":[\"x\"]}", &c, &bad), DD_OK);
    assert_int_equal(c.aud_ok, 0);
    assert_int_equal(claims("{" BASE ",\"aud\":\"doudix\"}", &c, &bad), DD_OK);
    assert_int_equal(c.aud_ok, 0);
}

TEST_CASE(test_claims_refused)
{
    static const struct {
        const char *text, *bad;
    } cases[] = {
        {"{\"sub\":\"s\",\"exp\":200,\"iat\":100,\"aud\":\"doudi\"}", "iss"},
        {"{\"iss\":\"i\",\"sub\":\"s\",\"iat\":100,\"aud\":\"doudi\"}", "exp"},
        {"{\"iss\":\"i\",\"sub\":\"s\",\"exp\":\"200\",\"iat\":100,"
         "\"aud\":\"doudi\"}",
         "exp"},
        {"{" BASE ",\"nbf\":1.5,\"aud\":\"doudi\"}", "nbf"},
        {"{" BASE "}", "aud"},
        {"{" BASE ",\"aud\":[]}", "aud"},
        {"{" BASE ",\"aud\":[\"doudi\",7]}", "aud"},
        {"{" BASE ",\"aud\":\"doudi\",\"id_number\":110105194912310037}",
         "id_number"},
        {"{" BASE ",\"aud\":\"doudi\",\"nonce\":\"a\",\"nonce\":\"b\"}",
         "(document)"},
        {"[1]", "(document)"},
        {"{" BASE ",\"aud\":\"doudi\"", "(document)"},
    };
    struct json_oidc_claims c;
    const char *bad;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(claims(cases[i].text, &c, &bad), DD_EINVAL);
        assert_string_equal(bad, cases[i].bad);
    }
}

TEST_CASE(test_documents)
{
    struct json_oidc_discovery d;
    struct json_jwk *k;
    size_t n;
    const char *bad = "", *alg, *kid, *tok;
    static const char disc[] =
        "{\"issuer\":\"http://i\",\"authorization_endpoint\":\"http://i/a\","
        "\"token_endpoint\":\"http://i/t\",\"jwks_uri\":\"http://i/j\","
        "\"scopes_supported\":[\"openid\"]}";
    assert_int_equal(json_oidc_discovery(ar, disc, strlen(disc), &d, &bad),
                     DD_OK);
    assert_string_equal(d.token_endpoint, "http://i/t");
    assert_string_equal(d.jwks_uri, "http://i/j");
    static const char no_jwks[] = "{\"issuer\":\"http://i\","
                                  "\"authorization_endpoint\":\"a\","
                                  "\"token_endpoint\":\"t\"}";
    assert_int_equal(json_oidc_discovery(ar, no_jwks, strlen(no_jwks), &d, &bad),
                     DD_EINVAL);
    assert_string_equal(bad, "jwks_uri");

    static const char jwks[] =
        "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"AQAB\","
        "\"e\":\"AQAB\",\"use\":\"sig\"},{\"kty\":\"EC\",\"crv\":\"P-256\","
        "\"x\":\"x\",\"y\":\"y\",\"key_ops\":[\"verify\"]}]}";
    assert_int_equal(json_oidc_jwks(ar, jwks, strlen(jwks), &k, &n, &bad),
                     DD_OK);
    assert_int_equal(n, 2);
    assert_string_equal(k[0].kid, "k1");
    assert_string_equal(k[0].use, "sig");
    assert_string_equal(k[1].kid, "");
    assert_string_equal(k[1].crv, "P-256");
    static const char bad_key[] = "{\"keys\":[{\"kid\":\"k1\"}]}";
    assert_int_equal(json_oidc_jwks(ar, bad_key, strlen(bad_key), &k, &n, &bad),
                     DD_EINVAL);
    assert_string_equal(bad, "kty");
    assert_int_equal(n, 0);
    static const char not_key[] = "{\"keys\":[7]}";
    assert_int_equal(json_oidc_jwks(ar, not_key, strlen(not_key), &k, &n, &bad),
                     DD_EINVAL);
    assert_string_equal(bad, "keys");

    static const char header[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    assert_int_equal(
        json_oidc_jose_header(ar, header, strlen(header), &alg, &kid, &bad),
        DD_OK);
    assert_string_equal(alg, "RS256");
    assert_string_equal(kid, "");
    static const char reply[] = "{\"access_token\":\"a\",\"id_token\":\"t\"}";
    assert_int_equal(json_oidc_token_reply(ar, reply, strlen(reply), &tok, &bad),
                     DD_OK);
    assert_string_equal(tok, "t");
    static const char error[] = "{\"error\":\"invalid_grant\"}";
    assert_int_equal(json_oidc_token_reply(ar, error, strlen(error), &tok, &bad),
                     DD_EINVAL);
    assert_string_equal(bad, "id_token");
}

UNIT_TESTS(setup, teardown, cmocka_unit_test(test_claims),
           cmocka_unit_test(test_claims_refused),
           cmocka_unit_test(test_documents))
