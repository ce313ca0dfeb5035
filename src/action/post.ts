// Entry point of the post step (dist/post): no logic here.
import { runPost } from "./run-post.ts";

void runPost();
