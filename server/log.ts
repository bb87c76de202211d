/**
 * The server's logger (pino): JSON lines in production (NODE_ENV=production), for a log collector; one readable
 * line per entry otherwise, for a terminal. API routes log through a child carrying the request id (server/http.ts).
 */
import pino, { type Logger } from "pino";

export type { Logger };

/** The services' logging signature: one line of text. */
export type LogLine = (msg: string) => void;

type Output = { write(text: string): unknown };

/** Fields every entry has; the rest are printed as key=value after the message. */
const BASE_FIELDS = new Set(["level", "time", "msg", "pid", "hostname", "err"]);

/** `2026-12-07T06:12:03.123Z INFO  message key=value …`, and an error's stack on the lines below. */
export function readableLine(json: string): string {
  const entry = JSON.parse(json) as Record<string, unknown>;
  const level = pino.levels.labels[Number(entry.level)]?.toUpperCase() ?? String(entry.level);
  const fields = Object.entries(entry)
    .filter(([k]) => !BASE_FIELDS.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  const time = String(entry.time);
  const err = entry.err as { stack?: string } | undefined;
  return [`${time} ${level.padEnd(5)} ${String(entry.msg ?? "")}`, ...fields].join(" ") + (err?.stack ? `\n${err.stack}` : "") + "\n";
}

/** A logger writing to `out`: JSON when `json`, else readable lines. Synchronous, so a line before exit is kept. */
export function createLogger(opts: { json: boolean; out?: Output }): Logger {
  const out = opts.out ?? process.stdout;
  const write = opts.json ? (line: string) => out.write(line) : (line: string) => out.write(readableLine(line));
  return pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, { write });
}

/** The process's logger. */
export const logger: Logger = createLogger({ json: process.env.NODE_ENV === "production" });

/** `logger` behind the `log(msg)` signature services take. */
export const logLine: LogLine = (msg) => logger.info(msg);
