// Validates each exchange against Apple's spec while the fake runs. Request problems count only when the
// fake accepted the request (2xx): a request it refused was already judged invalid. Responses are checked
// whenever the operation exists in the spec. Deviations the fake reproduces on purpose (Apple's timestamp
// form, EXPIRED profiles when asked for) are dropped; faulted answers are not validated.
import { KNOWN_APPLE_DEVIATIONS, type SpecValidator } from "../openapi-validator.ts";

const REPRODUCED_DEVIATIONS = new Set([
  "date-time-offset-without-colon",
  "profile-state-expired",
  "to-one-relationship-data-null",
]);
const reproduced = KNOWN_APPLE_DEVIATIONS.filter((d) => REPRODUCED_DEVIATIONS.has(d.id));

export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

export function validateExchange(validator: SpecValidator, exchange: Exchange): string[] {
  const { method, path } = exchange;
  if (!validator.findOperation(method, path)) return [];
  const problems: string[] = [];
  if (exchange.status >= 200 && exchange.status < 300) {
    // `cursor` comes from Apple's own links.next; the spec does not declare it.
    const { cursor: _cursor, ...query } = exchange.query;
    problems.push(...validator.validateRequest({ method, path, query, body: exchange.requestBody }));
  }
  for (const problem of validator.validateResponse({
    method,
    path,
    status: exchange.status,
    body: exchange.responseBody,
  })) {
    if (!reproduced.some((d) => d.matches(problem, exchange.responseBody))) problems.push(problem);
  }
  return problems.map((p) => `${method} ${path}: ${p}`);
}
