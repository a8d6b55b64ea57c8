import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The tests run the CLI as its users do: the built dist/canopy.mjs. */
export default function setup() {
  execFileSync("npm", ["run", "build"], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "inherit" });
}
