// Entry point of the main step (dist/main): no logic here.
import { runMain } from "./run-main.ts";

void runMain();
