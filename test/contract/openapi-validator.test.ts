// The spec validator against Apple's spec and Apple's recorded responses: every fixture validates or fails
// only where a KNOWN_APPLE_DEVIATIONS entry explains it; wrong requests and responses are caught.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KNOWN_APPLE_DEVIATIONS, loadSpecValidator } from "../support/openapi-validator.ts";
import { hasShared, sharedPath } from "../support/shared-dir.ts";

interface FixtureResponse {
  method: string;
  path: string;
  status: number;
  /** Single resource objects are wrapped into a `{ data, links }` document. */
  resource: boolean;
}

// Which response each fixture is. Every file in the fixtures folder must be listed.
const FIXTURES: Record<string, FixtureResponse> = {
  "bundle-id-capability-resource.codemagic.json": {
    method: "POST",
    path: "/v1/bundleIdCapabilities",
    status: 201,
    resource: true,
  },
  "bundle-id-resource.codemagic.json": {
    method: "GET",
    path: "/v1/bundleIds/ABC123",
    status: 200,
    resource: true,
  },
  "bundle-ids-list.fastlane.json": { method: "GET", path: "/v1/bundleIds", status: 200, resource: false },
  "certificate-create-201.ittybittyapps.json": {
    method: "POST",
    path: "/v1/certificates",
    status: 201,
    resource: false,
  },
  "certificate-resource.codemagic.json": {
    method: "GET",
    path: "/v1/certificates/ABC123",
    status: 200,
    resource: true,
  },
  "certificates-list-single.ittybittyapps.json": {
    method: "GET",
    path: "/v1/certificates",
    status: 200,
    resource: false,
  },
  "certificates-list.fastlane.json": {
    method: "GET",
    path: "/v1/certificates",
    status: 200,
    resource: false,
  },
  "device-resource-disabled.codemagic.json": {
    method: "GET",
    path: "/v1/devices/ABC123",
    status: 200,
    resource: true,
  },
  "device-update-enabled.fastlane.json": {
    method: "PATCH",
    path: "/v1/devices/ABC123",
    status: 200,
    resource: false,
  },
  "device-update-renamed.fastlane.json": {
    method: "PATCH",
    path: "/v1/devices/ABC123",
    status: 200,
    resource: false,
  },
  "devices-list.fastlane.json": { method: "GET", path: "/v1/devices", status: 200, resource: false },
  "error-401-not-authorized.json": { method: "GET", path: "/v1/bundleIds", status: 401, resource: false },
  "error-403-agreements-missing-with-links.codemagic.json": {
    method: "GET",
    path: "/v1/bundleIds",
    status: 403,
    resource: false,
  },
  "error-404-not-found.codemagic.json": {
    method: "GET",
    path: "/v1/bundleIds/ABC123",
    status: 404,
    resource: false,
  },
  "error-409-profile-create-unknown-app-id.json": {
    method: "POST",
    path: "/v1/profiles",
    status: 409,
    resource: false,
  },
  "profile-resource-with-content.codemagic.json": {
    method: "GET",
    path: "/v1/profiles/ABC123",
    status: 200,
    resource: true,
  },
};

const PROVISIONING_PATH = /^\/v1\/(bundleIds|bundleIdCapabilities|certificates|devices|profiles)(\/|$)/;
const HTTP_METHODS = ["get", "post", "patch", "delete", "put"];

function fixtureBody(file: string): unknown {
  const json: unknown = JSON.parse(readFileSync(sharedPath("asc", "fixtures", file), "utf8"));
  const { path, resource } = FIXTURES[file]!;
  return resource ? { data: json, links: { self: `https://api.appstoreconnect.apple.com${path}` } } : json;
}

function unexplained(errors: string[], body: unknown): string[] {
  return errors.filter((e) => !KNOWN_APPLE_DEVIATIONS.some((d) => d.matches(e, body)));
}

function deviationsOf(errors: string[], body: unknown): string[] {
  return KNOWN_APPLE_DEVIATIONS.filter((d) => errors.some((e) => d.matches(e, body))).map((d) => d.id);
}

describe.skipIf(!hasShared)("openapi validator: Apple's fixtures", () => {
  const validator = () => loadSpecValidator();

  it("has a response mapping for every fixture file", () => {
    const files = readdirSync(sharedPath("asc", "fixtures")).filter((f) => f.endsWith(".json"));
    expect(files.sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it.each(Object.keys(FIXTURES))("%s validates or deviates only in known ways", (file) => {
    const { method, path, status } = FIXTURES[file]!;
    const body = fixtureBody(file);
    const errors = validator().validateResponse({ method, path, status, body });
    expect(unexplained(errors, body)).toEqual([]);
  });

  it("reports the deviations that the fixtures really show", () => {
    const seen = new Set<string>();
    for (const [file, { method, path, status }] of Object.entries(FIXTURES)) {
      const body = fixtureBody(file);
      for (const id of deviationsOf(validator().validateResponse({ method, path, status, body }), body))
        seen.add(id);
    }
    expect([...seen].sort()).toEqual(["capability-settings-null", "developer-portal-platform-mac-os-x"]);
  });

  it("tolerates profileState EXPIRED through its deviation, and nothing else in that enum", () => {
    const profile = JSON.parse(
      readFileSync(sharedPath("asc", "fixtures", "profile-resource-with-content.codemagic.json"), "utf8"),
    ) as { attributes: Record<string, unknown> };
    const request = { method: "GET", path: "/v1/profiles/ABC123", status: 200 };
    const expired = {
      data: { ...profile, attributes: { ...profile.attributes, profileState: "EXPIRED" } },
      links: { self: "x" },
    };
    const expiredErrors = validator().validateResponse({ ...request, body: expired });
    expect(expiredErrors).toHaveLength(1);
    expect(deviationsOf(expiredErrors, expired)).toEqual(["profile-state-expired"]);

    const bogus = {
      data: { ...profile, attributes: { ...profile.attributes, profileState: "BOGUS" } },
      links: { self: "x" },
    };
    const bogusErrors = validator().validateResponse({ ...request, body: bogus });
    expect(bogusErrors).toHaveLength(1);
    expect(bogusErrors[0]).toContain("/data/attributes/profileState");
    expect(unexplained(bogusErrors, bogus)).toEqual(bogusErrors);
  });
});

describe.skipIf(!hasShared)("openapi validator: requests", () => {
  const validator = () => loadSpecValidator();
  const createBundleId = (platform: string) => ({
    data: { type: "bundleIds", attributes: { identifier: "com.example.app", name: "Example", platform } },
  });

  it("accepts a well-formed read and create", () => {
    expect(
      validator().validateRequest({
        method: "GET",
        path: "/v1/bundleIds",
        query: {
          "filter[identifier]": "com.example.app,com.example.app.widget",
          "filter[platform]": "IOS,UNIVERSAL",
          include: "profiles,bundleIdCapabilities",
          "fields[profiles]": "name,profileType,profileState,uuid,expirationDate",
          limit: "200",
          "limit[profiles]": "50",
        },
      }),
    ).toEqual([]);
    expect(
      validator().validateRequest({
        method: "POST",
        path: "/v1/bundleIds",
        query: {},
        body: createBundleId("IOS"),
      }),
    ).toEqual([]);
  });

  it("rejects a bundle ID create with platform WINDOWS", () => {
    const errors = validator().validateRequest({
      method: "POST",
      path: "/v1/bundleIds",
      query: {},
      body: createBundleId("WINDOWS"),
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /request body \/data\/attributes\/platform: must be equal to one of the allowed values/,
    );
    expect(errors[0]).toContain('"WINDOWS"');
  });

  it("rejects limit above the maximum, an unknown include value and an undeclared parameter", () => {
    const errors = validator().validateRequest({
      method: "GET",
      path: "/v1/bundleIds",
      query: {
        limit: "500",
        include: "profiles,certificates",
        "filter[bogus]": "x",
        "limit[profiles]": "51",
      },
    });
    expect(errors).toHaveLength(4);
    expect(errors.join("\n")).toContain("query parameter limit /: must be <= 200, got 500");
    expect(errors.join("\n")).toContain(
      "query parameter include /1: must be equal to one of the allowed values",
    );
    expect(errors.join("\n")).toContain(
      "query parameter filter[bogus] is not declared for bundleIds_getCollection",
    );
    expect(errors.join("\n")).toContain("query parameter limit[profiles] /: must be <= 50, got 51");
  });

  it("rejects a non-numeric limit and an unknown filter enum value", () => {
    const errors = validator().validateRequest({
      method: "GET",
      path: "/v1/certificates",
      query: { limit: "many", "filter[certificateType]": "DISTRIBUTION,IOS_WIZARD" },
    });
    expect(errors).toHaveLength(2);
    expect(errors.join("\n")).toContain("query parameter limit /: must be integer");
    expect(errors.join("\n")).toContain('got "IOS_WIZARD"');
  });

  it("requires the body of a create and refuses one where the operation takes none", () => {
    expect(validator().validateRequest({ method: "POST", path: "/v1/profiles", query: {} })).toEqual([
      "POST /v1/profiles: the request body is required",
    ]);
    expect(
      validator().validateRequest({
        method: "DELETE",
        path: "/v1/profiles/P1",
        query: {},
        body: { data: {} },
      }),
    ).toEqual(["DELETE /v1/profiles/{id}: this operation takes no request body"]);
  });

  it("honours nullable: null where the spec allows it, not where it does not", () => {
    const device = (status: unknown) => ({
      data: { type: "devices", id: "D1", attributes: { name: null, status } },
    });
    const patch = (body: unknown) =>
      validator().validateRequest({ method: "PATCH", path: "/v1/devices/D1", query: {}, body });
    expect(patch(device(null))).toEqual([]);
    expect(patch(device("ENABLED"))).toEqual([]);
    expect(patch(device("BROKEN"))).toHaveLength(1);
    const capability = (capabilityType: unknown) => ({
      data: { type: "bundleIdCapabilities", id: "C1", attributes: { capabilityType, settings: null } },
    });
    const patchCapability = (body: unknown) =>
      validator().validateRequest({ method: "PATCH", path: "/v1/bundleIdCapabilities/C1", query: {}, body });
    expect(patchCapability(capability(null))).toEqual([]);
    expect(patchCapability(capability("ICLOUD"))).toEqual([]);
    expect(patchCapability(capability("TELEPORT"))).not.toEqual([]);
    // CertificateCreateRequest.csrContent is not nullable.
    expect(
      validator().validateRequest({
        method: "POST",
        path: "/v1/certificates",
        query: {},
        body: {
          data: { type: "certificates", attributes: { csrContent: null, certificateType: "DISTRIBUTION" } },
        },
      }),
    ).toEqual(["POST /v1/certificates: request body /data/attributes/csrContent: must be string, got null"]);
  });

  it("rejects unknown paths and methods", () => {
    expect(validator().validateRequest({ method: "GET", path: "/v1/teleporters", query: {} })).toEqual([
      "no path in the spec matches GET /v1/teleporters",
    ]);
    expect(validator().validateRequest({ method: "PATCH", path: "/v1/profiles/P1", query: {} })[0]).toMatch(
      /PATCH is not an operation of \/v1\/profiles\/\{id\}/,
    );
  });
});

describe.skipIf(!hasShared)("openapi validator: responses", () => {
  const validator = () => loadSpecValidator();
  const device = {
    type: "devices",
    id: "D1",
    attributes: {
      name: "iPhone",
      platform: "IOS",
      udid: "00008030-0001",
      deviceClass: "IPHONE",
      status: "ENABLED",
    },
    links: { self: "https://api.appstoreconnect.apple.com/v1/devices/D1" },
  };

  it("accepts a valid list and a 204 without a body", () => {
    const body = {
      data: [device],
      links: { self: "https://api.appstoreconnect.apple.com/v1/devices" },
      meta: { paging: { total: 1, limit: 200 } },
    };
    expect(validator().validateResponse({ method: "GET", path: "/v1/devices", status: 200, body })).toEqual(
      [],
    );
    expect(
      validator().validateResponse({
        method: "DELETE",
        path: "/v1/profiles/P1",
        status: 204,
        body: undefined,
      }),
    ).toEqual([]);
  });

  it("rejects undeclared statuses, a body on 204, a missing body and schema violations", () => {
    expect(
      validator().validateResponse({ method: "GET", path: "/v1/devices", status: 418, body: {} })[0],
    ).toMatch(/status 418 is not declared/);
    expect(
      validator().validateResponse({
        method: "DELETE",
        path: "/v1/profiles/P1",
        status: 204,
        body: { data: null },
      }),
    ).toEqual(["DELETE /v1/profiles/{id} 204: this response has no body in the spec, but one was sent"]);
    expect(
      validator().validateResponse({ method: "GET", path: "/v1/devices", status: 200, body: undefined }),
    ).toEqual(["GET /v1/devices 200: a JSON body is required"]);
    const noLinks = { data: [device] };
    expect(
      validator().validateResponse({ method: "GET", path: "/v1/devices", status: 200, body: noLinks }),
    ).toEqual(["GET /v1/devices 200 response body /: must have required property 'links'"]);
  });

  it("checks formats and the included resources by their type", () => {
    const badDate = {
      data: { ...device, attributes: { ...device.attributes, addedDate: "yesterday" } },
      links: { self: "x" },
    };
    expect(
      validator().validateResponse({ method: "GET", path: "/v1/devices/D1", status: 200, body: badDate }),
    ).toEqual([
      'GET /v1/devices/{id} 200 response body /data/attributes/addedDate: must match format "date-time", got "yesterday"',
    ]);
    const bundleIds = (included: unknown[]) => ({
      data: [{ type: "bundleIds", id: "B1", attributes: { identifier: "com.example.app", platform: "IOS" } }],
      included,
      links: { self: "x" },
    });
    const capability = {
      type: "bundleIdCapabilities",
      id: "B1_PUSH",
      attributes: { capabilityType: "PUSH_NOTIFICATIONS" },
    };
    const respond = (body: unknown) =>
      validator().validateResponse({ method: "GET", path: "/v1/bundleIds", status: 200, body });
    expect(respond(bundleIds([capability]))).toEqual([]);
    const wrongCapability = { ...capability, attributes: { capabilityType: "TELEPORT" } };
    const errors = respond(bundleIds([wrongCapability]));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      "/included/0/attributes/capabilityType: must be equal to one of the allowed values",
    );
    expect(respond(bundleIds([{ type: "devices", id: "D1" }]))).not.toEqual([]);
  });
});

describe.skipIf(!hasShared)("openapi validator: path matching", () => {
  const spec = () =>
    JSON.parse(readFileSync(sharedPath("asc", "openapi.oas.json"), "utf8")) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };

  it("matches every provisioning path and method to its template and operation", () => {
    const validator = loadSpecValidator();
    const paths = Object.entries(spec().paths).filter(([template]) => PROVISIONING_PATH.test(template));
    expect(paths.length).toBe(24);
    let operations = 0;
    for (const [template, item] of paths) {
      const concrete = template.replace(/\{[^}]+\}/g, "AB12CD34EF");
      for (const method of HTTP_METHODS) {
        const op = item[method];
        const found = validator.findOperation(method.toUpperCase(), concrete);
        if (op) {
          operations++;
          expect(found).toEqual({ template, operationId: op.operationId });
        } else {
          expect(found).toBeUndefined();
        }
      }
    }
    expect(operations).toBe(35);
  });

  it("ignores the query string and a trailing slash, and prefers literal segments", () => {
    const validator = loadSpecValidator();
    expect(validator.findOperation("get", "/v1/bundleIds/B1/?include=profiles")).toEqual({
      template: "/v1/bundleIds/{id}",
      operationId: "bundleIds_getInstance",
    });
    expect(validator.findOperation("GET", "/v1/profiles/P1/relationships/devices")?.template).toBe(
      "/v1/profiles/{id}/relationships/devices",
    );
    expect(validator.findOperation("GET", "/v1/profiles/P1/extra/segments")).toBeUndefined();
  });

  it("is loaded once per process", () => {
    expect(loadSpecValidator()).toBe(loadSpecValidator());
  });
});
