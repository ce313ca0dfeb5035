// The effects the core needs, passed in by the adapter (the GitHub Action, a CLI or a test).
// The core never imports @actions/*; tests pass small fakes instead of module mocks.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Runs `fn` inside a collapsible log group (one per unit of work). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** Registers a secret so that the runner redacts it from every later log line. */
export interface SecretMasker {
  mask(secret: string): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export type Sleep = (ms: number) => Promise<void>;

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Written to the command's standard input (how passwords reach `security`). */
  input?: string;
  env?: Record<string, string>;
}

/** Runs a command without a shell. Never put a secret in `args`. */
export interface Exec {
  run(command: string, args: string[], options?: ExecOptions): Promise<ExecResult>;
}

/** What main did on the runner, recorded right after each side effect, undone by post in reverse. */
export type CleanupEntry =
  | { kind: "file"; path: string }
  | { kind: "directory"; path: string }
  /** configure-project: put `backup`'s bytes back at `path`, if `path` is still what main wrote. */
  | { kind: "restore"; path: string; backup: string; writtenSha256: string }
  | {
      kind: "keychain";
      path: string;
      /** The user search list before we added our keychain. */
      previousSearchList: string[];
      /** The default keychain before, when we made ours the default. */
      previousDefault?: string;
    };

export interface StateRecorder {
  record(entry: CleanupEntry): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warning() {},
  error() {},
  group: (_name, fn) => fn(),
};

export const noMasking: SecretMasker = { mask() {} };
