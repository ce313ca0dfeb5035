// The client imports undici's EnvHttpProxyAgent from the agent's own file (src/core/asc/env-proxy-agent.ts):
// that file must stay the class undici exports, on every undici upgrade.
import { EnvHttpProxyAgent as exported } from "undici";
import { describe, expect, it } from "vitest";
import { EnvHttpProxyAgent } from "../../src/core/asc/env-proxy-agent.ts";

describe("EnvHttpProxyAgent", () => {
  it("is the class undici exports", () => {
    expect(EnvHttpProxyAgent).toBe(exported);
    const agent = new EnvHttpProxyAgent();
    expect(agent).toBeInstanceOf(exported);
    return agent.close();
  });
});
