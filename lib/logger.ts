/**
 * The suite's structured logger: one JSON object per line, `level`, `message`, `timestamp` and
 * `service` first, then the fields a call adds. DEBUG and INFO go to stdout, WARN and ERROR to
 * stderr; Lambda sends both to the function's log group as they are.
 *
 * Our own rather than a library's because it is on every cold start: importing Powertools' Logger
 * cost ≈ 9 ms on Node 22, most of a small trigger's module load (README, "Performance"); this costs
 * well under one. Log lines carry reasons and masked values only: never a code, a hash, a key or a
 * full address (see README, "Security"; the log audit after `npm test` checks every line).
 */

export const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The variable template.yaml sets from its LogLevel parameter. */
export const LOG_LEVEL_VARIABLE = "LOG_LEVEL";

export interface LoggerOptions {
  readonly serviceName: string;
  /** INFO when absent. */
  readonly logLevel?: LogLevel;
  /** Where a line goes; stdout and stderr by default (tests capture them). */
  readonly write?: (level: LogLevel, line: string) => void;
  readonly clock?: () => number;
}

type Fields = Readonly<Record<string, unknown>>;

const RANK: Readonly<Record<LogLevel, number>> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

function writeToStandardStreams(level: LogLevel, line: string): void {
  (RANK[level] >= RANK.WARN ? process.stderr : process.stdout).write(`${line}\n`);
}

export class Logger {
  readonly #service: string;
  readonly #threshold: number;
  readonly #write: (level: LogLevel, line: string) => void;
  readonly #clock: () => number;

  constructor(options: LoggerOptions) {
    this.#service = options.serviceName;
    this.#threshold = RANK[options.logLevel ?? "INFO"];
    this.#write = options.write ?? writeToStandardStreams;
    this.#clock = options.clock ?? Date.now;
  }

  debug(message: string, fields?: Fields): void {
    this.#log("DEBUG", message, fields);
  }

  info(message: string, fields?: Fields): void {
    this.#log("INFO", message, fields);
  }

  warn(message: string, fields?: Fields): void {
    this.#log("WARN", message, fields);
  }

  error(message: string, fields?: Fields): void {
    this.#log("ERROR", message, fields);
  }

  #log(level: LogLevel, message: string, fields: Fields | undefined): void {
    if (RANK[level] < this.#threshold) return;
    const line: Record<string, unknown> = {
      level,
      message,
      timestamp: new Date(this.#clock()).toISOString(),
      service: this.#service,
    };
    const trace = traceId();
    if (trace !== undefined) line["xray_trace_id"] = trace;
    // The four fields above are the line's own: a call's field of the same name does not replace them.
    for (const [key, value] of Object.entries(fields ?? {})) if (!(key in line)) line[key] = value;
    // A log call must never end an invocation: a value JSON cannot hold becomes a description.
    let text: string;
    try {
      text = JSON.stringify(line, jsonSafe());
    } catch {
      text = JSON.stringify({ level, message, timestamp: line["timestamp"], service: this.#service, fieldsDropped: "not serialisable" });
    }
    this.#write(level, text);
  }
}

/** The Root of Lambda's X-Ray trace header, which it sets per invocation when tracing is on. */
function traceId(): string | undefined {
  const header = process.env["_X_AMZN_TRACE_ID"];
  if (header === undefined) return undefined;
  return /(?:^|;)Root=([^;]+)/.exec(header)?.[1];
}

/** Errors as their name, message, stack and cause; bigints as text; a repeated object once. */
function jsonSafe(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === "bigint") return value.toString();
    if (value === null || typeof value !== "object") return value;
    if (seen.has(value)) return "[Circular]";
    seen.add(value);
    if (value instanceof Error) {
      // No `code` field: the log audit refuses any field named like a secret, and the boundary logs
      // a typed error's stable code as `reason` already.
      return {
        name: value.name,
        message: value.message,
        stack: value.stack,
        ...(value.cause === undefined ? {} : { cause: value.cause }),
      };
    }
    return value;
  };
}

/**
 * The level in LOG_LEVEL. A missing or unknown value means INFO, with a WARN line saying so,
 * rather than a failed cold start: a logging setting must not stop sign-ins (template.yaml only
 * allows the four names).
 */
export function createLogger(serviceName: string, env: Readonly<Record<string, string | undefined>> = process.env): Logger {
  const wanted = env[LOG_LEVEL_VARIABLE]?.trim().toUpperCase();
  const known = LOG_LEVELS.find((level) => level === wanted);
  const logger = new Logger({ serviceName, logLevel: known ?? "INFO" });
  if (wanted !== undefined && wanted !== "" && known === undefined)
    logger.warn(`${LOG_LEVEL_VARIABLE} is not one of ${LOG_LEVELS.join(", ")}: logging at INFO`, { reason: "unknown_log_level" });
  return logger;
}
