/** Adversarial JSON for the redaction benches and tests: many secrets in string values, built to a size. */
const enc = new TextEncoder();
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJlLXNlY3JldA";

/** A JSON array of about `bytes` bytes whose every object has three secrets in string values. */
export const secretJson = (bytes: number) =>
  enc.encode(
    JSON.stringify(
      Array.from({ length: Math.ceil(bytes / 190) }, (_, n) => ({
        n,
        msg: `login failed password=hunter${n}`,
        hdr: `Bearer ${JWT}`,
        url: "https://x/?token=S1",
      })),
    ),
  );
