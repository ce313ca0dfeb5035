// Identifiers and timestamps the way Apple writes them.
import { randomInt, randomUUID } from "node:crypto";

export const DAY_MS = 86_400_000;
export const YEAR_MS = 365 * DAY_MS;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A resource id like Apple's: 10 upper-case letters and digits, e.g. `NLRN94JD59`. */
export function resourceId(): string {
  let id = "";
  for (let i = 0; i < 10; i++) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

/** App Store Connect app ids are numeric (Apple ID of the app), e.g. `1474817295`. */
export function numericId(): string {
  return String(randomInt(1_000_000_000, 2_000_000_000));
}

/** Lower-case RFC 4122 v4, as profile UUIDs are. */
export const uuidV4 = (): string => randomUUID();

/**
 * Apple's timestamp form: milliseconds and an offset without a colon, `2019-11-29T13:56:50.220+0000`
 * (see fixtures). The spec says RFC 3339 `date-time`, which wants `+00:00`: a known Apple deviation.
 */
export function appleDate(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}
