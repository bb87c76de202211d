/** The `nats` CLI commands equivalent to what busdeck shows and does, quoted for a POSIX shell. */
import { REDACTED } from "../security/redaction";

/** Characters a POSIX shell takes literally in an unquoted word. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `value` as one shell word: left bare when safe, else single-quoted with each `'` written as `'\''`. */
export function shellQuote(value: string): string {
  if (SHELL_SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const command = (words: readonly string[]): string => words.map(shellQuote).join(" ");

/** Shows one stored message: `nats stream get <stream> <seq>`. */
export const streamGetCommand = (stream: string, seq: number): string => command(["nats", "stream", "get", stream, String(seq)]);

/**
 * A redrive by hand: the stored payload read with the CLI (so a secret busdeck masks never passes through the
 * browser) and published with the copy's headers. Headers whose shown value is masked are left out and named.
 * `nats pub` runs its body and subject through Go templates by default, which would rewrite a payload holding
 * `{{`: `--no-templates` publishes the bytes as stored.
 */
export function redriveCommand(copy: { stream: string; seq: number; subject: string; headers: Record<string, string[]> }): {
  command: string;
  masked_headers: string[];
} {
  const masked: string[] = [];
  const headerFlags: string[] = [];
  for (const [name, values] of Object.entries(copy.headers)) {
    for (const value of values) {
      if (value.includes(REDACTED)) masked.push(name);
      else headerFlags.push("-H", `${name}:${value}`);
    }
  }
  const read = `${streamGetCommand(copy.stream, copy.seq)} --json | jq -r .data | base64 -d`;
  const publish = command(["nats", "pub", copy.subject, "--force-stdin", "--no-templates", ...headerFlags]);
  return { command: `${read} | ${publish}`, masked_headers: [...new Set(masked)] };
}
