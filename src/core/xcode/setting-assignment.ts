// One build-setting assignment as Xcode stores it: a name, optional conditions (`[sdk=iphoneos*]`,
// `[config=Debug]`, `[arch=arm64]`), an unevaluated value, and where it came from (for messages).
export interface SettingCondition {
  parameter: string;
  /** A glob: `*` matches any run of characters. */
  pattern: string;
}

export interface SettingAssignment {
  name: string;
  conditions: SettingCondition[];
  /** The value as written: a string, or a list (pbxproj arrays). */
  value: string | string[];
  /** The file (and level) it came from, for messages. */
  source: string;
}
