// A failure installing on the runner (files, keychain). The message names the step and the fix.
import { AscProvisionError } from "../errors.ts";

export class InstallError extends AscProvisionError {
  override name = "InstallError";
}
