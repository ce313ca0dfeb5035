// The typed error of the cache: the service could not be used (a warning for the caller, never a failure).
import { AscProvisionError } from "../errors.ts";

/** The Actions cache service could not be reached or refused the operation. Callers turn it into a warning. */
export class CacheUnavailableError extends AscProvisionError {
  override name = "CacheUnavailableError";
}
