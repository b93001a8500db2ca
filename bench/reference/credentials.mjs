// Credentials for the benchmark against any Better Auth compatible server (the logic of
// shared/reference/better-auth/bench-setup.mjs, without the API key): signs up a fresh user, signs
// in, then checks that each benchmarked request really succeeds with them, since a get-session
// with a bad cookie still answers 200 (with null) and would be counted as a success by wrk.
//
//   node bench/reference/credentials.mjs BASE_URL PREFIX
//
// Prints shell assignments on stdout (PREFIX_EMAIL, PREFIX_PASSWORD, PREFIX_COOKIE,
// PREFIX_BEARER, and PREFIX_OK_<case>=1|0 for session_cookie, session_bearer, jwks, token,
// sign_in) and PREFIX_ERROR with the first failure; always exits 0 so that the benchmark still
// runs and reports the failure. Diagnostics go to stderr.
import { randomBytes } from "node:crypto";

const [baseArg, prefix = "BENCH"] = process.argv.slice(2);
const BASE_URL = (baseArg || "http://127.0.0.1:3000").replace(/\/+$/, "");
const AUTH = BASE_URL + (process.env.AUTH_PATH || "/api/v1/auth");
const ORIGIN = new URL(BASE_URL).origin;
const email = `bench-${randomBytes(5).toString("hex")}@example.com`;
const password = "bench-password-123456";

const out = { EMAIL: email, PASSWORD: password, COOKIE: "", BEARER: "", ERROR: "" };
const ok = { session_cookie: 0, session_bearer: 0, jwks: 0, token: 0, sign_in: 0 };

async function call(method, path, { body, headers = {} } = {}) {
  const res = await fetch(AUTH + path, {
    method,
    headers: { origin: ORIGIN, ...(body ? { "content-type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 200)}`);
  return { res, json: text ? JSON.parse(text) : null };
}

// Runs one check; the first failure is kept for the report.
async function step(what, fn) {
  try {
    await fn();
    return true;
  } catch (error) {
    const message = `${what}: ${error.message}`;
    console.error(`credentials (${BASE_URL}): ${message}`);
    out.ERROR ||= message;
    return false;
  }
}

let userId = "";
await step("sign-up", async () => {
  const { json } = await call("POST", "/sign-up/email", { body: { email, password, name: "Bench User" } });
  userId = json?.user?.id || "";
});
await step("sign-in", async () => {
  const { res, json } = await call("POST", "/sign-in/email", { body: { email, password } });
  if (!json?.user?.id) throw new Error("no user in the answer");
  userId ||= json.user.id;
  const setCookie = res.headers.getSetCookie().find((c) => /session_token=/.test(c));
  if (!setCookie) throw new Error("no session cookie set");
  out.COOKIE = setCookie.split(";")[0];
  out.BEARER = res.headers.get("set-auth-token") || "";
  ok.sign_in = 1;
});
if (out.COOKIE) {
  const resolves = (json) => {
    if (json?.user?.id !== userId) throw new Error(`session does not resolve: ${JSON.stringify(json)?.slice(0, 100)}`);
  };
  if (await step("get-session (cookie)", async () => resolves((await call("GET", "/get-session", { headers: { cookie: out.COOKIE } })).json)))
    ok.session_cookie = 1;
  if (await step("get-session (bearer)", async () =>
    resolves((await call("GET", "/get-session", { headers: { authorization: `Bearer ${out.BEARER}` } })).json)))
    ok.session_bearer = 1;
  if (await step("token", async () => {
    const { json } = await call("GET", "/token", { headers: { cookie: out.COOKIE } });
    if (typeof json?.token !== "string") throw new Error("no token");
  }))
    ok.token = 1;
}
if (await step("jwks", async () => {
  const { json } = await call("GET", "/jwks");
  if (!json?.keys?.length) throw new Error("no keys");
}))
  ok.jwks = 1;

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
for (const [key, value] of Object.entries(out)) console.log(`${prefix}_${key}=${q(value)}`);
for (const [key, value] of Object.entries(ok)) console.log(`${prefix}_OK_${key}=${value}`);
