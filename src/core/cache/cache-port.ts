// The port to a key/value store of directories (the Actions cache in the action, a map in tests).
// Entries are immutable: a key is written once; later saves of the same key keep the first entry.

export interface CacheStore {
  /**
   * Restores the entry saved under `primaryKey` (or, failing that, the newest entry whose key starts with
   * one of `restoreKeys`, in order) into `paths`, which must be the same path strings it was saved from.
   * Resolves to the key that matched, or undefined when there is no entry. Throws CacheUnavailableError
   * when the service cannot be used (which is not a miss).
   */
  restore(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  /**
   * Saves `paths` under `key`. Resolves when saved, or when an entry under `key` already exists.
   * Throws CacheUnavailableError when it could not be saved.
   */
  save(paths: string[], key: string): Promise<void>;
}
