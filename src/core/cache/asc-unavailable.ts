// When a run may fall back to the last-known-good entry: App Store Connect could not be reached, or kept
// failing on its side, after the client's retries. Never for answers that a retry cannot change
// (credentials, agreements, validation): those must fail the run.
import { AscApiError } from "../errors.ts";

export function isAscUnavailable(error: unknown): boolean {
  if (!(error instanceof AscApiError)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}
