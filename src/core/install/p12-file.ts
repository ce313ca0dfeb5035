// The certificate and its key as a .p12 on disk (mode 0600), protected by a random throwaway password.
import type { KeyObject } from "node:crypto";
import type { StateRecorder } from "../ports.ts";
import { writePrivateFile } from "./recorded-files.ts";

export type BuildPkcs12 = (a: {
  privateKey: KeyObject;
  certificateDer: Uint8Array;
  chainDer?: Uint8Array[];
  password: string;
  friendlyName: string;
}) => Uint8Array;

export interface P12Request {
  path: string;
  privateKey: KeyObject;
  certificateDer: Uint8Array;
  /** Already registered with the masker by the caller. */
  password: string;
  friendlyName: string;
}

export function writeP12File(request: P12Request, build: BuildPkcs12, recorder: StateRecorder): void {
  const bytes = build({
    privateKey: request.privateKey,
    certificateDer: request.certificateDer,
    password: request.password,
    friendlyName: request.friendlyName,
  });
  writePrivateFile(request.path, bytes, recorder);
}
