// Apple's meta.associatedErrors: kept on AscApiError and shown in the message, each with its code,
// detail and source. The body's shape is Apple's 409 STATE_ERROR.ENTITY_STATE_INVALID as published
// (`{"meta":{"associatedErrors":{"<resource path>":[ResponseError, ...]}}}`, the spec's ResponseError.meta).
import { describe, expect, it } from "vitest";
import { errorFromAnswer } from "../../src/core/asc/error-mapping.ts";

const ref = { method: "POST" as const, path: "/v1/profiles", host: "api.appstoreconnect.apple.com" };
const answer = (body: unknown) => ({ status: 409, headers: {}, body: JSON.stringify(body) });

const stateInvalid = {
  errors: [
    {
      id: "11a45c25-5f94-4bbc-a7fa-3e0ffeb5fdf1",
      status: "409",
      code: "STATE_ERROR.ENTITY_STATE_INVALID",
      title: "bundleIds with id 'B1' is not in valid state.",
      detail: "This request cannot be completed, please check associated errors to see why.",
      meta: {
        associatedErrors: {
          "/v1/bundleIds/B1": [
            {
              id: "f48da25f-527c-41e4-be10-7c4dd7bec324",
              status: "409",
              code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
              title: "The provided entity includes a relationship with an invalid value",
              detail: "The capability ICLOUD needs a container the API cannot assign.",
              source: { pointer: "/data/relationships/bundleIdCapabilities" },
            },
          ],
          "/v1/devices": [
            {
              status: "409",
              code: "STATE_ERROR.DEVICE_DISABLED",
              title: "Device disabled",
              detail: "Device D1 is disabled.",
            },
          ],
        },
      },
    },
  ],
};

describe("meta.associatedErrors", () => {
  it("are kept on the typed error, each with the resource it is about", () => {
    const error = errorFromAnswer(answer(stateInvalid), ref);
    expect(error.code).toBe("STATE_ERROR.ENTITY_STATE_INVALID");
    expect(error.errors[0]!.associated).toEqual([
      {
        id: "f48da25f-527c-41e4-be10-7c4dd7bec324",
        status: "409",
        code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
        title: "The provided entity includes a relationship with an invalid value",
        detail: "The capability ICLOUD needs a container the API cannot assign.",
        source: { pointer: "/data/relationships/bundleIdCapabilities" },
        about: "/v1/bundleIds/B1",
      },
      {
        id: undefined,
        status: "409",
        code: "STATE_ERROR.DEVICE_DISABLED",
        title: "Device disabled",
        detail: "Device D1 is disabled.",
        about: "/v1/devices",
      },
    ]);
  });

  it("are listed together on AscApiError.associatedErrors", () => {
    const error = errorFromAnswer(answer(stateInvalid), ref);
    expect(error.associatedErrors.map((a) => [a.about, a.code])).toEqual([
      ["/v1/bundleIds/B1", "ENTITY_ERROR.RELATIONSHIP.INVALID"],
      ["/v1/devices", "STATE_ERROR.DEVICE_DISABLED"],
    ]);
  });

  it("are shown in the message: code, detail and source pointer of each", () => {
    const error = errorFromAnswer(answer(stateInvalid), ref);
    expect(error.message).toBe(
      "POST /v1/profiles failed: 409 STATE_ERROR.ENTITY_STATE_INVALID: bundleIds with id 'B1' is not in valid state. (This request cannot be completed, please check associated errors to see why.). Associated errors: ENTITY_ERROR.RELATIONSHIP.INVALID: The capability ICLOUD needs a container the API cannot assign. (at /data/relationships/bundleIdCapabilities) [/v1/bundleIds/B1]; STATE_ERROR.DEVICE_DISABLED: Device D1 is disabled. [/v1/devices].",
    );
  });

  it("an error without associated errors reads as before; malformed ones are ignored", () => {
    const plain = errorFromAnswer(
      answer({ errors: [{ status: "409", code: "ENTITY_ERROR", title: "T", detail: "D" }] }),
      ref,
    );
    expect(plain.message).toBe("POST /v1/profiles failed: 409 ENTITY_ERROR: T (D).");
    expect(plain.errors[0]!.associated).toBeUndefined();
    const malformed = errorFromAnswer(
      answer({
        errors: [
          {
            status: "409",
            code: "X",
            title: "T",
            meta: { associatedErrors: { "/a": "nope", "/b": [null, 3] } },
          },
        ],
      }),
      ref,
    );
    expect(malformed.errors[0]!.associated).toBeUndefined();
    expect(malformed.message).not.toContain("Associated");
  });

  it("more than ten are summarised; credentials in them are redacted", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      status: "409",
      code: `C${i}`,
      title: "t",
      detail: i === 0 ? "Bearer eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl leaked" : `d${i}`,
    }));
    const error = errorFromAnswer(
      answer({
        errors: [{ status: "409", code: "X", title: "T", meta: { associatedErrors: { "/v1/x": many } } }],
      }),
      ref,
    );
    expect(error.errors[0]!.associated).toHaveLength(12);
    expect(error.message).toContain("C9: d9 [/v1/x]; and 2 more.");
    expect(error.message).not.toContain("eyJ");
  });
});
