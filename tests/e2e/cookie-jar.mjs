// Cookie helpers shared by the e2e tests: Node's fetch keeps no cookies, and Better Auth wants an
// Origin beside them on every non-GET request.

// The Set-Cookie lines of a response. Node >= 19.7 has getSetCookie(); before it the joined header
// is split before each "name=" that follows a comma (an Expires date's comma is followed by a day
// number, not by "name=").
export function setCookieLines(headers) {
  if (typeof headers.getSetCookie === "function") return headers.getSetCookie();
  const joined = headers.get("set-cookie");
  return joined ? joined.split(/,\s*(?=[^;,=\s]+=)/) : [];
}

// A fetch for one user: keeps the cookies the server sets (a Max-Age=0 or empty value removes
// one), sends them back, and always sends `origin`.
export function jarFetch(origin) {
  const cookies = new Map();
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("origin", origin);
    if (cookies.size) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(input, { ...init, headers });
    for (const line of setCookieLines(response.headers)) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
}
