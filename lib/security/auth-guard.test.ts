import { describe, expect, it } from "vitest";
import { checkHost, checkWriteRequest, FailureThrottle, hostName, isJsonContentType, type WriteRequestFacts } from "./auth-guard";

const write = (over: Partial<WriteRequestFacts>): WriteRequestFacts => ({
  method: "POST",
  secFetchSite: null,
  origin: null,
  contentType: "application/json",
  hasBody: true,
  host: "127.0.0.1:3000",
  ...over,
});

describe("auth guard writes", () => {
  it("auth guard writes - GET and HEAD are never checked", () => {
    expect(checkWriteRequest(write({ method: "GET", secFetchSite: "cross-site", contentType: "text/plain" }))).toBeNull();
    expect(checkWriteRequest(write({ method: "head", secFetchSite: "cross-site" }))).toBeNull();
  });

  it("auth guard writes - a cross-site text/plain form (JSON-looking body) is refused naming Sec-Fetch-Site", () => {
    expect(checkWriteRequest(write({ secFetchSite: "cross-site", origin: "http://evil.example", contentType: "text/plain" }))).toMatch(
      /cross-site write refused \(Sec-Fetch-Site: cross-site\)/,
    );
  });

  it("auth guard writes - same-site is not same-origin: another port on the same host is refused", () => {
    expect(checkWriteRequest(write({ secFetchSite: "same-site", origin: "http://127.0.0.1:4000" }))).toMatch(/Sec-Fetch-Site: same-site/);
  });

  it("auth guard writes - without Sec-Fetch-Site the Origin must name this host", () => {
    expect(checkWriteRequest(write({ origin: "http://evil.example" }))).toMatch(/Origin http:\/\/evil\.example is not 127\.0\.0\.1:3000/);
    expect(checkWriteRequest(write({ origin: "null" }))).toMatch(/cross-origin/);
    expect(checkWriteRequest(write({ origin: "http://127.0.0.1:3000" }))).toBeNull();
    expect(checkWriteRequest(write({ origin: "https://dash.example", host: "dash.example" }))).toBeNull();
    expect(checkWriteRequest(write({ origin: "http://127.0.0.1:3000", host: null }))).toMatch(/cross-origin/);
  });

  it("auth guard writes - same-origin and user-initiated JSON writes pass; so do scripts that send JSON", () => {
    expect(checkWriteRequest(write({ secFetchSite: "same-origin", origin: "http://127.0.0.1:3000" }))).toBeNull();
    expect(checkWriteRequest(write({ secFetchSite: "none" }))).toBeNull();
    expect(checkWriteRequest(write({ contentType: "application/json; charset=utf-8" }))).toBeNull();
    expect(checkWriteRequest(write({ method: "DELETE", secFetchSite: "same-origin", contentType: null, hasBody: false }))).toBeNull();
  });

  it("auth guard writes - a body that is not JSON is refused even same-origin", () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null]) {
      expect(checkWriteRequest(write({ secFetchSite: "same-origin", contentType })), String(contentType)).toMatch(
        /Content-Type: application\/json/,
      );
    }
    expect(checkWriteRequest(write({ contentType: "text/plain", hasBody: false }))).toMatch(/got text\/plain/);
  });

  it("auth guard writes - JSON content types", () => {
    for (const t of ["application/json", "Application/JSON; charset=UTF-8", " application/json "])
      expect(isJsonContentType(t), t).toBe(true);
    for (const t of ["application/jsonx", "text/json", "application/json-seq", "text/plain; application/json", null])
      expect(isJsonContentType(t), String(t)).toBe(false);
  });
});

describe("auth guard hosts", () => {
  it("auth guard hosts - loopback names pass with any port", () => {
    for (const h of ["localhost", "localhost:3000", "127.0.0.1:3000", "127.8.9.1", "[::1]:3000", "LOCALHOST:1"])
      expect(checkHost(h, []), h).toBeNull();
  });

  it("auth guard hosts - a rebound name is refused unless allowed", () => {
    expect(checkHost("evil.example:3000", [])).toMatch(/Host evil\.example is not a loopback name/);
    expect(checkHost("localhost.evil.example", [])).toMatch(/not a loopback/);
    expect(checkHost("dash.internal:8080", ["dash.internal"])).toBeNull();
    expect(checkHost(null, [])).toMatch(/no Host/);
  });

  it("auth guard hosts - host names without the port", () => {
    expect(hostName("127.0.0.1:3000")).toBe("127.0.0.1");
    expect(hostName("[::1]:3000")).toBe("[::1]");
    expect(hostName("[::1]")).toBe("[::1]");
    expect(hostName("Example.com")).toBe("example.com");
  });
});

describe("auth guard throttle", () => {
  it("auth guard throttle - refuses a key after maxFailures within the window, then lets it try again", () => {
    const t = new FailureThrottle({ maxFailures: 3, windowMs: 1000 });
    for (let i = 0; i < 2; i++) t.recordFailure("ann", 0);
    expect(t.retryAfterMs("ann", 10)).toBe(0);
    t.recordFailure("ann", 10);
    expect(t.retryAfterMs("ann", 100)).toBe(900);
    expect(t.retryAfterMs("bob", 100)).toBe(0);
    expect(t.retryAfterMs("ann", 1000)).toBe(0);
    t.recordFailure("ann", 1001);
    expect(t.retryAfterMs("ann", 1002)).toBe(0);
  });

  it("auth guard throttle - forget clears a key; the key count is bounded", () => {
    const t = new FailureThrottle({ maxFailures: 1, windowMs: 1000 }, 2);
    t.recordFailure("a", 0);
    t.forget("a");
    expect(t.retryAfterMs("a", 1)).toBe(0);
    for (const k of ["x", "y", "z"]) t.recordFailure(k, 0);
    expect(t.retryAfterMs("x", 1)).toBe(0); // evicted, oldest first
    expect(t.retryAfterMs("z", 1)).toBeGreaterThan(0);
  });
});
