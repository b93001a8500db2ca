// End-to-end: the official Better Auth client (better-auth 1.7.5, as the reference server pins it)
// drives a running server, and jose verifies its /token JWTs against its /jwks. Any server that
// speaks Better Auth's contract under basePath must pass: crow-auth and the reference server alike.
//
//   E2E_BASE_URL=http://127.0.0.1:8787 node --test better-auth-client.test.mjs
//
// Environment:
//   E2E_BASE_URL   the server's base URL (required); its origin is sent as Origin and is the
//                  expected JWT issuer and audience
//   E2E_BASE_PATH  [/api/v1/auth]
//   E2E_ISSUER, E2E_AUDIENCE  [origin of E2E_BASE_URL] when the server is configured otherwise
//
// The client has no cookie jar in Node (fetch ignores Set-Cookie), so each client gets a fetch
// wrapper that keeps one explicitly: it stores Set-Cookie answers, sends them back as Cookie and
// always sends Origin, since Better Auth refuses a non-GET request that carries cookies without a
// trusted Origin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, webcrypto } from "node:crypto";
import { createAuthClient } from "better-auth/client";
import { jwtClient } from "better-auth/client/plugins";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { setCookieLines } from "./cookie-jar.mjs";

// jose 6 uses the global WebCrypto, which Node 18 (Debian 12's nodejs) only has behind a flag.
globalThis.crypto ??= webcrypto;

const BASE_URL = (process.env.E2E_BASE_URL || "").replace(/\/+$/, "");
if (!BASE_URL) throw new Error("set E2E_BASE_URL, e.g. http://127.0.0.1:8787");
const BASE_PATH = process.env.E2E_BASE_PATH || "/api/v1/auth";
const ORIGIN = new URL(BASE_URL).origin;
const ISSUER = process.env.E2E_ISSUER || ORIGIN;
const AUDIENCE = process.env.E2E_AUDIENCE || ORIGIN;
// Better Auth prefixes its cookies with __Secure- when the base URL is https.
const SESSION_COOKIE = (ORIGIN.startsWith("https:") ? "__Secure-" : "") + "better-auth.session_token";

// A minimal cookie jar: name -> value, for one server, no paths or expiry beyond Max-Age=0.
class CookieJar {
  cookies = new Map();
  lastResponse = null;

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  store(setCookies) {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  // The fetch the client calls: Origin always, Cookie from the jar unless the caller set one.
  fetch = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("origin", ORIGIN);
    if (this.cookies.size && !headers.has("cookie")) headers.set("cookie", this.header());
    const response = await fetch(input, { ...init, headers });
    this.store(setCookieLines(response.headers));
    this.lastResponse = response;
    return response;
  };
}

// A client without a jar (no cookie ever sent): for bearer and replayed-cookie requests.
function plainFetch(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set("origin", ORIGIN);
  return fetch(input, { ...init, headers });
}

function makeClient(customFetchImpl) {
  return createAuthClient({
    baseURL: BASE_URL,
    basePath: BASE_PATH,
    plugins: [jwtClient()],
    fetchOptions: { customFetchImpl },
  });
}

// Fails with the server's answer in the message, so a failure says what came back.
function expectOk(result, what) {
  assert.equal(result.error, null, `${what}: ${JSON.stringify(result.error)}`);
  return result.data;
}

function expectError(result, status, code, what) {
  assert.ok(result.error, `${what}: expected ${status} ${code}, got data ${JSON.stringify(result.data)}`);
  assert.equal(result.error.status, status, `${what}: ${JSON.stringify(result.error)}`);
  assert.equal(result.error.code, code, `${what}: ${JSON.stringify(result.error)}`);
}

const email = `e2e-${randomBytes(6).toString("hex")}@example.com`;
const password = `e2e-password-${randomBytes(4).toString("hex")}`;
const name = "E2E User";

// State handed from one step to the next; each step checks what it needs is there.
const state = {};

test("sign up creates the user and signs in", async () => {
  const jar = new CookieJar();
  const client = makeClient(jar.fetch);
  const data = expectOk(await client.signUp.email({ email, password, name }), "sign-up");
  assert.equal(data.user.email, email);
  assert.equal(data.user.name, name);
  assert.equal(data.user.emailVerified, false);
  assert.equal(typeof data.user.id, "string");
  assert.equal(typeof data.token, "string", "autoSignIn gives a session token");
  assert.ok(jar.cookies.has(SESSION_COOKIE), `sign-up sets ${SESSION_COOKIE}`);
  state.userId = data.user.id;
});

test("a second sign-up with the same email is refused with 422", async () => {
  const client = makeClient(new CookieJar().fetch);
  expectError(
    await client.signUp.email({ email, password: "another-password-1", name }),
    422,
    "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
    "duplicate sign-up",
  );
});

test("a wrong password is refused with 401", async () => {
  const jar = new CookieJar();
  const client = makeClient(jar.fetch);
  expectError(
    await client.signIn.email({ email, password: password + "-wrong" }),
    401,
    "INVALID_EMAIL_OR_PASSWORD",
    "wrong password",
  );
  assert.equal(jar.cookies.has(SESSION_COOKIE), false, "no session cookie after a failed sign-in");
});

test("sign in gives a session cookie and a bearer token", async () => {
  const jar = new CookieJar();
  const client = makeClient(jar.fetch);
  const data = expectOk(await client.signIn.email({ email, password }), "sign-in");
  assert.equal(data.user.id, state.userId);
  assert.equal(data.user.email, email);
  assert.match(data.token, /^[A-Za-z0-9]{32}$/, "32-character session token");

  const cookie = jar.cookies.get(SESSION_COOKIE);
  assert.ok(cookie, `sign-in sets ${SESSION_COOKIE}`);
  // The cookie is encodeURIComponent(token + "." + base64(HMAC-SHA256(secret, token))).
  const signed = decodeURIComponent(cookie);
  assert.ok(signed.startsWith(data.token + "."), "cookie = token.signature");
  assert.match(signed.slice(data.token.length + 1), /^[A-Za-z0-9+/]{43}=$/, "base64 HMAC-SHA256");
  // The bearer plugin hands out the decoded cookie value in set-auth-token.
  const bearer = jar.lastResponse.headers.get("set-auth-token");
  assert.equal(bearer, signed, "set-auth-token is the decoded signed cookie value");

  state.jar = jar;
  state.client = client;
  state.token = data.token;
  state.cookie = `${SESSION_COOKIE}=${cookie}`;
  state.bearer = bearer;
});

test("get-session with the session cookie", async () => {
  assert.ok(state.client, "needs the signed-in client");
  const data = expectOk(await state.client.getSession(), "get-session (cookie)");
  assert.ok(data, "a session, not null");
  assert.equal(data.user.id, state.userId);
  assert.equal(data.user.email, email);
  assert.equal(data.session.userId, state.userId);
  assert.equal(data.session.token, state.token);
  assert.ok(Date.parse(data.session.expiresAt) > Date.now(), "session expires in the future");
  assert.match(state.jar.lastResponse.headers.get("cache-control") || "", /no-store/);
  state.sessionId = data.session.id;
});

test("get-session with the bearer token and no cookie", async () => {
  assert.ok(state.bearer, "needs the set-auth-token value");
  const client = makeClient(plainFetch);
  const data = expectOk(
    await client.getSession({ fetchOptions: { headers: { authorization: `Bearer ${state.bearer}` } } }),
    "get-session (bearer)",
  );
  assert.ok(data, "a session, not null");
  assert.equal(data.user.id, state.userId);
  assert.equal(data.session.id, state.sessionId);
});

test("/token gives a JWT that verifies against /jwks", async () => {
  assert.ok(state.client, "needs the signed-in client");
  const data = expectOk(await state.client.token(), "token");
  assert.equal(typeof data.token, "string");

  const jwks = expectOk(await state.client.jwks(), "jwks");
  assert.ok(Array.isArray(jwks.keys) && jwks.keys.length > 0, "at least one public key");
  for (const key of jwks.keys) {
    for (const member of ["d", "p", "q", "dp", "dq", "qi", "privateKey"]) {
      assert.equal(key[member], undefined, `/jwks key ${key.kid} has no private member ${member}`);
    }
  }

  const header = decodeProtectedHeader(data.token);
  assert.ok(jwks.keys.some((k) => k.kid === header.kid), "the JWT's kid is published in /jwks");

  const keySet = createRemoteJWKSet(new URL(`${BASE_URL}${BASE_PATH}/jwks`));
  const { payload } = await jwtVerify(data.token, keySet, { issuer: ISSUER, audience: AUDIENCE });
  assert.equal(payload.sub, state.userId);
  assert.equal(payload.email, email);
  assert.equal(payload.exp - payload.iat, 900, "15-minute expiry by default");
});

test("sign out ends the session", async () => {
  assert.ok(state.client, "needs the signed-in client");
  const data = expectOk(await state.client.signOut(), "sign-out");
  assert.equal(data.success, true);
  assert.equal(state.jar.cookies.has(SESSION_COOKIE), false, "sign-out clears the session cookie");
});

test("get-session after sign-out is null, also with the old cookie or bearer", async () => {
  assert.ok(state.cookie, "needs the old session cookie");
  const fromJar = expectOk(await state.client.getSession(), "get-session after sign-out");
  assert.equal(fromJar, null);

  const replay = makeClient(plainFetch);
  const withOldCookie = expectOk(
    await replay.getSession({ fetchOptions: { headers: { cookie: state.cookie } } }),
    "get-session with the replayed cookie",
  );
  assert.equal(withOldCookie, null, "a signed-out cookie no longer resolves");
  const withOldBearer = expectOk(
    await replay.getSession({ fetchOptions: { headers: { authorization: `Bearer ${state.bearer}` } } }),
    "get-session with the old bearer token",
  );
  assert.equal(withOldBearer, null, "a signed-out bearer token no longer resolves");
});
