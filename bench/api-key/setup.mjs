// Credentials for bench/api-key.sh on one server: signs up a fresh user, creates an API key over
// HTTP (POST /api-key/create with the session cookie, as a dashboard would), and checks that each
// benchmarked request really succeeds with it before anything is measured:
//   both servers  GET  /get-session with x-api-key resolves to the user
//   crow-auth     POST /api-key/verify {key} with X-Service-API-Key answers valid:true (and
//                 without the service key: 401, so the guard is really on the measured path)
//                 POST /api-key/system-token with x-api-key answers a token
//
//   node bench/api-key/setup.mjs BASE_URL PREFIX crow|reference
//
// Environment: AUTH_PATH [/api/v1/auth]; SERVICE_KEY (crow-auth: the gateway's X-Service-API-Key).
// Prints shell assignments on stdout: PREFIX_KEY, PREFIX_KEY_ID, PREFIX_USER_ID,
// PREFIX_KEY_RATE_LIMITED (the key's rateLimitEnabled), PREFIX_KEY_REMAINING, PREFIX_OK_<case>=1|0
// for session_apikey, verify, system_token, and PREFIX_ERROR with the first failure. Always exits
// 0 so that the benchmark still runs and reports the failure. Diagnostics go to stderr.
import { randomBytes } from "node:crypto";

const [baseArg, prefix = "BENCH", server = "crow"] = process.argv.slice(2);
const BASE_URL = (baseArg || "http://127.0.0.1:8787").replace(/\/+$/, "");
const AUTH = BASE_URL + (process.env.AUTH_PATH || "/api/v1/auth");
const ORIGIN = new URL(BASE_URL).origin;
const SERVICE_KEY = process.env.SERVICE_KEY || "";
const email = `bench-ak-${randomBytes(5).toString("hex")}@example.com`;
const password = "bench-password-123456";

const out = { KEY: "", KEY_ID: "", USER_ID: "", KEY_RATE_LIMITED: "", KEY_REMAINING: "", ERROR: "" };
const ok = { session_apikey: 0, verify: 0, system_token: 0 };

async function call(method, path, { body, headers = {}, expectStatus = 200 } = {}) {
  const res = await fetch(AUTH + path, {
    method,
    headers: { origin: ORIGIN, ...(body ? { "content-type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status !== expectStatus) throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 200)}`);
  return { res, json: text ? JSON.parse(text) : null };
}

async function step(what, fn) {
  try {
    await fn();
    return true;
  } catch (error) {
    const message = `${what}: ${error.message}`;
    console.error(`api-key setup (${BASE_URL}): ${message}`);
    out.ERROR ||= message;
    return false;
  }
}

let cookie = "";
await step("sign-up", async () => {
  const { res, json } = await call("POST", "/sign-up/email", { body: { email, password, name: "Bench API Key" } });
  out.USER_ID = json?.user?.id || "";
  const setCookie = res.headers.getSetCookie().find((c) => /session_token=/.test(c));
  if (!setCookie) throw new Error("no session cookie set");
  cookie = setCookie.split(";")[0];
});
if (cookie) {
  await step("api-key/create", async () => {
    const { json } = await call("POST", "/api-key/create", { body: { name: "bench" }, headers: { cookie } });
    if (typeof json?.key !== "string" || !json.key) throw new Error(`no key in ${JSON.stringify(json).slice(0, 200)}`);
    out.KEY = json.key;
    out.KEY_ID = json.id || "";
    out.KEY_RATE_LIMITED = String(json.rateLimitEnabled);
    out.KEY_REMAINING = String(json.remaining);
    // The figures are for a key with no quota: a limited key would be refused or deleted mid-run.
    if (json.remaining !== null) throw new Error(`the bench key has remaining=${json.remaining}`);
  });
}
if (out.KEY) {
  if (await step("get-session (x-api-key)", async () => {
    const { json } = await call("GET", "/get-session", { headers: { "x-api-key": out.KEY } });
    if (json?.user?.id !== out.USER_ID) throw new Error(`session does not resolve: ${JSON.stringify(json)?.slice(0, 120)}`);
  }))
    ok.session_apikey = 1;
  if (server === "crow") {
    if (await step("api-key/verify", async () => {
      await call("POST", "/api-key/verify", { body: { key: out.KEY }, expectStatus: 401 }); // no service key
      const { json } = await call("POST", "/api-key/verify", { body: { key: out.KEY }, headers: { "x-service-api-key": SERVICE_KEY } });
      if (json?.valid !== true || json?.error !== null || json?.key?.id !== out.KEY_ID)
        throw new Error(`not valid: ${JSON.stringify(json)?.slice(0, 200)}`);
      const wrong = (await call("POST", "/api-key/verify", {
        body: { key: out.KEY.slice(0, -1) + (out.KEY.endsWith("a") ? "b" : "a") },
        headers: { "x-service-api-key": SERVICE_KEY },
      })).json;
      if (wrong?.valid !== false) throw new Error(`a wrong key is valid: ${JSON.stringify(wrong)?.slice(0, 200)}`);
    }))
      ok.verify = 1;
    if (await step("api-key/system-token", async () => {
      const { json } = await call("POST", "/api-key/system-token", { headers: { "x-api-key": out.KEY } });
      if (typeof json?.token !== "string" || json.token.split(".").length !== 3) throw new Error(`no JWT: ${JSON.stringify(json)?.slice(0, 200)}`);
      const claims = JSON.parse(Buffer.from(json.token.split(".")[1], "base64url").toString());
      if (claims.sub !== out.USER_ID || claims.apiKeyId !== out.KEY_ID) throw new Error(`claims: ${JSON.stringify(claims)}`);
    }))
      ok.system_token = 1;
  }
}

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
for (const [name, value] of Object.entries(out)) console.log(`${prefix}_${name}=${q(value)}`);
for (const [name, value] of Object.entries(ok)) console.log(`${prefix}_OK_${name}=${value}`);
