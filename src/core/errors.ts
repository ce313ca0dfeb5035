// Typed errors. Every message names what went wrong and how to fix it, and never carries a secret.

import type { ProvisionResult } from "./result.ts";

export class AscProvisionError extends Error {
  override name = "AscProvisionError";
}

export interface InputProblem {
  /** The action input (or CLI flag) at fault, e.g. `private-key`. */
  input: string;
  /** What is wrong and the likely fix. */
  message: string;
}

/** Bad configuration. Carries every problem found, reported together before any request. */
export class InputError extends AscProvisionError {
  override name = "InputError";
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[]) {
    super(
      problems.length === 1
        ? `\`${problems[0]!.input}\`: ${problems[0]!.message}`
        : `${problems.length} input problems:\n${problems.map((problem) => `- \`${problem.input}\`: ${problem.message}`).join("\n")}`,
    );
    this.problems = problems;
  }
}

/** Key, certificate, CSR, PKCS#12 or profile content that cannot be used. */
export class SigningError extends AscProvisionError {
  override name = "SigningError";
}

export interface AscErrorDetail {
  id?: string;
  status: string;
  code: string;
  title: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
  /**
   * Apple's `meta.associatedErrors`: the real reasons behind some errors (409
   * STATE_ERROR.ENTITY_STATE_INVALID and others), each with the resource path Apple keyed it by.
   */
  associated?: AscAssociatedError[];
}

export interface AscAssociatedError extends AscErrorDetail {
  /** The key Apple filed it under in `meta.associatedErrors`, e.g. `/v1/profiles` or `/apps/123`. */
  about: string;
}

/** An error answer from App Store Connect (or a transport failure talking to it). */
export class AscApiError extends AscProvisionError {
  override name = "AscApiError";
  /** HTTP status; 0 for a transport failure (connection refused, TLS, timeout). */
  readonly status: number;
  /** Apple's hierarchical code of the first error, e.g. `ENTITY_ERROR.ATTRIBUTE.INVALID`. */
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly errors: AscErrorDetail[];
  readonly method: string;
  readonly path: string;
  /** A write whose effect is unknown (5xx, reset or timeout after it was sent): re-read, never repeat blindly. */
  readonly outcomeUnknown: boolean;
  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string;
    requestId?: string;
    errors?: AscErrorDetail[];
    method: string;
    path: string;
    message?: string;
    cause?: unknown;
    outcomeUnknown?: boolean;
  }) {
    super(
      init.message ??
        `${init.method} ${init.path} failed: ${init.status ? `${init.status} ` : ""}${init.code}: ${init.title}${init.detail ? ` (${init.detail})` : ""}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail ?? "";
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
    this.method = init.method;
    this.path = init.path;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  /** Apple's `meta.associatedErrors` of every error in the answer, in order. */
  get associatedErrors(): AscAssociatedError[] {
    return this.errors.flatMap((error) => error.associated ?? []);
  }
}

/** Readonly mode found changes to make. */
/** A readonly run that would have to change something; `result` holds the plan for outputs and summary. */
export class DriftError extends AscProvisionError {
  override name = "DriftError";
  readonly result: ProvisionResult | undefined;
  constructor(message: string, result?: ProvisionResult) {
    super(message);
    this.result = result;
  }
}

/** A message for any thrown value; never `[object Object]`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** 409: another job created it first, or Apple refuses the entity. */
export const isConflict = (error: unknown): error is AscApiError =>
  error instanceof AscApiError && error.status === 409;

/** A write that may or may not have taken effect: re-read, then decide. */
export const isUnknownOutcome = (error: unknown): error is AscApiError =>
  error instanceof AscApiError && error.outcomeUnknown;
