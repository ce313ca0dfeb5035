// The cleanup record main leaves for post, through GITHUB_STATE (core.saveState; post reads it back as
// STATE_<name>). Saved again after every side effect, so a main that fails half-way still tells post
// what to undo. State is per action instance: inside a composite action, each use of this action gets
// its own record and its own post step, with nothing else to do.
import type { CleanupEntry, StateRecorder } from "../core/ports.ts";

export const STATE_KEY = "asc-provision-cleanup";

export interface CleanupRecord {
  version: 1;
  /** The `cleanup` input: false leaves everything in place. */
  cleanup: boolean;
  entries: CleanupEntry[];
}

export class StateFileRecorder implements StateRecorder {
  readonly #save: (name: string, value: string) => void;
  readonly #record: CleanupRecord;

  constructor(save: (name: string, value: string) => void, cleanup: boolean) {
    this.#save = save;
    this.#record = { version: 1, cleanup, entries: [] };
    this.#flush();
  }

  get entries(): readonly CleanupEntry[] {
    return this.#record.entries;
  }

  setCleanup(cleanup: boolean): void {
    this.#record.cleanup = cleanup;
    this.#flush();
  }

  record(entry: CleanupEntry): void {
    this.#record.entries.push(entry);
    this.#flush();
  }

  #flush(): void {
    this.#save(STATE_KEY, JSON.stringify(this.#record));
  }
}

/** The record main saved, or undefined when there is none (main did not run or saved nothing). Throws on
 * a malformed record. */
export function loadCleanupRecord(getState: (name: string) => string): CleanupRecord | undefined {
  const text = getState(STATE_KEY);
  if (!text) return undefined;
  const value = JSON.parse(text) as unknown;
  if (!isRecord(value)) throw new Error(`state ${STATE_KEY} is not a cleanup record`);
  return value;
}

function isRecord(value: unknown): value is CleanupRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Partial<CleanupRecord>;
  return (
    record.version === 1 &&
    typeof record.cleanup === "boolean" &&
    Array.isArray(record.entries) &&
    record.entries.every(
      (entry) =>
        typeof entry === "object" &&
        entry !== null &&
        typeof entry.path === "string" &&
        (entry.kind === "file" ||
          entry.kind === "directory" ||
          (entry.kind === "restore" &&
            typeof entry.backup === "string" &&
            typeof entry.writtenSha256 === "string") ||
          (entry.kind === "keychain" && Array.isArray(entry.previousSearchList))),
    )
  );
}
