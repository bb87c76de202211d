/**
 * Python-style tracebacks for errored reflex outcomes. The real runner (docs/contracts.md#reflex-outcomes) catches
 * a handler's exception and stores a truncated `traceback.format_exc()` in `diagnostic`; these mimic that output
 * closely enough that grouping by the final "ExcType: message" line behaves as it would against netcortex.
 */

export interface Frame {
  file: string;
  line: number;
  fn: string;
  code: string;
}

export interface PyException {
  type: string;
  message: string;
  frames: Frame[];
  /** An earlier exception this one was raised from (`raise X from Y`), printed first as Python does. */
  cause?: PyException;
}

/** Tail is kept because the last line (the exception) is what operators and error grouping need. */
export const DIAGNOSTIC_MAX_CHARS = 1200;
export const TRUNCATION_MARKER = "... [traceback truncated] ...\n";

export function formatException(exc: PyException): string {
  const parts: string[] = [];
  if (exc.cause) {
    parts.push(formatException(exc.cause), "", "The above exception was the direct cause of the following exception:", "");
  }
  parts.push("Traceback (most recent call last):");
  for (const f of exc.frames) parts.push(`  File "${f.file}", line ${f.line}, in ${f.fn}`, `    ${f.code}`);
  parts.push(exc.message ? `${exc.type}: ${exc.message}` : exc.type);
  return parts.join("\n");
}

export function truncateTraceback(text: string, maxChars = DIAGNOSTIC_MAX_CHARS): string {
  if (text.length <= maxChars) return text;
  const keep = maxChars - TRUNCATION_MARKER.length;
  let tail = text.slice(text.length - keep);
  // Start at a line boundary so the kept part still reads like a traceback.
  const nl = tail.indexOf("\n");
  if (nl >= 0 && nl < tail.length - 1) tail = tail.slice(nl + 1);
  return TRUNCATION_MARKER + tail;
}

export function pythonTraceback(exc: PyException, maxChars = DIAGNOSTIC_MAX_CHARS): string {
  return truncateTraceback(formatException(exc), maxChars);
}

/** The last line of a traceback: what error grouping keys on. */
export function exceptionLine(traceback: string): string {
  const lines = traceback.trimEnd().split("\n");
  return lines[lines.length - 1] ?? "";
}

const RUNNER_FRAME: Frame = {
  file: "/app/netcortex/reflex/runner.py",
  line: 141,
  fn: "_dispatch",
  code: "outcome = await handler.handle(event)",
};

const handlerFile = (id: string) => `/app/netcortex/reflex/handlers/${id}.py`;

/** The handler bugs the demo triggers: each is raised by a realistic defect in the incoming event. */
export function keyErrorPeer(): PyException {
  return {
    type: "KeyError",
    message: "'peer'",
    frames: [
      RUNNER_FRAME,
      {
        file: handlerFile("bgp_drop"),
        line: 42,
        fn: "handle",
        code: `summary = f"BGP session {payload['device']} -> {payload['peer']} left Established"`,
      },
    ],
  };
}

export function valueErrorIfIndex(raw: string): PyException {
  return {
    type: "ValueError",
    message: `invalid literal for int() with base 10: '${raw}'`,
    frames: [RUNNER_FRAME, { file: handlerFile("link_down"), line: 37, fn: "handle", code: `if_index = int(payload["if_index"])` }],
  };
}

export function attributeErrorAlertData(): PyException {
  return {
    type: "AttributeError",
    message: "'NoneType' object has no attribute 'get'",
    frames: [
      RUNNER_FRAME,
      { file: handlerFile("security_webhook"), line: 58, fn: "handle", code: `signature = payload.get("alertData").get("signature")` },
    ],
  };
}

/** A dependency timeout: long, chained and asyncio-heavy, so it is the one that actually gets truncated. */
export function timeoutInLookup(handlerId: string, timeoutS: number): PyException {
  return {
    type: "TimeoutError",
    message: "",
    frames: [
      RUNNER_FRAME,
      {
        file: handlerFile(handlerId),
        line: 64,
        fn: "handle",
        code: "context = await self._memory.lookup(target, window=timedelta(minutes=15))",
      },
      { file: "/app/netcortex/memory/semantic.py", line: 211, fn: "lookup", code: `async with asyncio.timeout(${timeoutS}):` },
      { file: "/usr/local/lib/python3.12/asyncio/timeouts.py", line: 115, fn: "__aexit__", code: "raise TimeoutError from exc_val" },
    ],
    cause: {
      type: "asyncio.exceptions.CancelledError",
      message: "",
      frames: [
        {
          file: "/app/netcortex/memory/semantic.py",
          line: 214,
          fn: "lookup",
          code: "records = await session.execute_read(self._nearest, target, window)",
        },
        {
          file: "/app/.venv/lib/python3.12/site-packages/neo4j/_async/work/session.py",
          line: 661,
          fn: "execute_read",
          code: "return await self._run_transaction(READ_ACCESS, TelemetryAPI.TX_FUNC, transaction_function, args, kwargs)",
        },
        {
          file: "/app/.venv/lib/python3.12/site-packages/neo4j/_async/work/session.py",
          line: 535,
          fn: "_run_transaction",
          code: "await self._open_transaction(tx_kwargs)",
        },
        {
          file: "/app/.venv/lib/python3.12/site-packages/neo4j/_async/io/_pool.py",
          line: 415,
          fn: "acquire",
          code: "return await self._acquire(address, deadline, liveness_check_timeout)",
        },
        { file: "/usr/local/lib/python3.12/asyncio/locks.py", line: 212, fn: "wait", code: "await fut" },
      ],
    },
  };
}
