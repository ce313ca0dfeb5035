// What goes wrong reading an Xcode project: a file that is not one, a target or configuration that
// does not exist, a setting the repository does not define. Each message names the file, target or
// setting and the fix.
import { AscProvisionError } from "../errors.ts";

export class XcodeProjectError extends AscProvisionError {
  override name = "XcodeProjectError";
}
