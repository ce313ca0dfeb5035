// What the apply steps share: the client, the desired state, the logger and the run's clock; and how a
// wave of independent writes runs.
import type { AscClient } from "../asc/http.ts";
import type { Clock, Logger, Sleep } from "../ports.ts";
import type { DesiredState } from "./desired-state.ts";

export interface ApplyContext {
  client: AscClient;
  desired: DesiredState;
  logger: Logger;
  now: number;
  clock: Clock;
  sleep: Sleep;
}

/** Runs tasks together; waits for all before failing with the first error, so nothing is left in flight. */
export async function wave(tasks: Array<() => Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(tasks.map((task) => task()));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
}
