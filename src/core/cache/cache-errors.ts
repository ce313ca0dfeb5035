// Typed errors of the cache: the service could not be used (a warning for the caller, never a failure),
// and a signing-key vault that cannot be opened (a clear failure: a wrong passphrase must not mint a new
// certificate on every run).
import { AscProvisionError } from "../errors.ts";

/** The Actions cache service could not be reached or refused the operation. Callers turn it into a warning. */
export class CacheUnavailableError extends AscProvisionError {
  override name = "CacheUnavailableError";
}

export type VaultErrorReason =
  /** Not a vault at all (no "ASCP" header, truncated): a corrupt entry, ignored with a warning. */
  | "format"
  /** A vault of a version or with parameters this release does not read. */
  | "unsupported"
  /** The passphrase does not open it. */
  | "wrong-passphrase"
  /** The passphrase is right but the content fails authentication: modified or damaged. */
  | "tampered";

/** An encrypted signing-key entry that cannot be opened. */
export class VaultError extends AscProvisionError {
  override name = "VaultError";
  readonly reason: VaultErrorReason;
  constructor(reason: VaultErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
