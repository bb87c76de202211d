/**
 * The cookie a `?token=` visit sets: `<issued-at seconds>.<HMAC>`, keyed by the token and mixed with
 * BUSDECK_AUTH_SESSION_EPOCH. It expires server-side after BUSDECK_AUTH_SESSION_TTL_H whatever the browser keeps,
 * changing the epoch revokes every cookie issued without changing the token, and it never contains the token.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SessionSettings } from "../../lib/security/auth";

/** Clock skew tolerated between processes of one deployment. */
const FUTURE_SKEW_MS = 60_000;

function mac(token: string, settings: SessionSettings, issuedAtSec: number): string {
  return createHmac("sha256", token).update(`busdeck-session-v2\n${settings.epoch}\n${issuedAtSec}`).digest("base64url");
}

export function issueSession(token: string, settings: SessionSettings, nowMs: number): string {
  const issuedAtSec = Math.floor(nowMs / 1000);
  return `${issuedAtSec}.${mac(token, settings, issuedAtSec)}`;
}

export function sessionValid(token: string, settings: SessionSettings, cookie: string, nowMs: number): boolean {
  const match = /^(\d{1,12})\.([\w-]{43})$/.exec(cookie);
  if (!match) return false;
  const issuedAtMs = Number(match[1]) * 1000;
  if (issuedAtMs > nowMs + FUTURE_SKEW_MS || nowMs - issuedAtMs >= settings.ttlMs) return false;
  const expected = Buffer.from(mac(token, settings, Number(match[1])));
  const given = Buffer.from(match[2]);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
