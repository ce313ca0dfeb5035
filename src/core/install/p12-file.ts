// The certificate and its key as a .p12 on disk (mode 0600), protected by a random throwaway password.
import type { KeyObject } from "node:crypto";
import type { StateRecorder } from "../ports.ts";
import { buildPkcs12 } from "../signing/pkcs12-build.ts";
import { writePrivateFile } from "./recorded-files.ts";

export interface P12Request {
  path: string;
  privateKey: KeyObject;
  certificateDer: Uint8Array;
  /** Already registered with the masker by the caller. */
  password: string;
  friendlyName: string;
}

export function writeP12File(request: P12Request, recorder: StateRecorder): void {
  writePrivateFile(request.path, buildPkcs12(request), recorder);
}
