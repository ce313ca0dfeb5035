// The planning and applying half of the engine, loaded apart from the start-up path: provision() starts
// loading it (with the certificate, CMS and plist libraries it needs) while the first wave of reads is in
// flight, so their load time hides behind the network.
export { type Applied, applyPlan } from "./apply.ts";
export { formatPlan, makePlan, type Plan } from "./plan.ts";
