// `profile-name`: a comma is refused at input time with the reason (filter[name] splits on commas, so the
// next run could not find the profile by its name), before any request.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/core/config-parse.ts";
import { InputError } from "../../src/core/errors.ts";
import { testKeys } from "../support/keys.ts";

function parse(profileName: string) {
  const { apiKeyPem, signingKeyPem } = testKeys();
  return parseConfig(
    {
      "issuer-id": "57246542-96fe-1a63-e053-0824d011072a",
      "key-id": "2X9R4HXF34",
      "private-key": apiKeyPem,
      "bundle-ids": "com.example.app",
      "certificate-private-key": signingKeyPem,
      "profile-name": profileName,
    },
    { readFile: () => undefined, masker: { mask() {} } },
  );
}

describe("profile-name", () => {
  it("refuses a comma, naming the input and why", () => {
    let error: unknown;
    try {
      parse("{bundleId}, {type}");
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.input).toBe("profile-name");
    expect(problems[0]!.message).toMatch(
      /contains a comma: App Store Connect reads a comma in filter\[name\] as a list/,
    );
  });

  it("accepts the same name with another separator, and the presets", () => {
    expect(parse("{bundleId} - {type}").profileNameTemplate).toBe("{bundleId} - {type}");
    expect(parse("match").profileNameTemplate).toContain("{bundleId}");
  });
});
