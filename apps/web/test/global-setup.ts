import { ensurePanelBuilt } from "../build";

// The API serves apps/web/dist: the browser tests need the panel built from the current sources.
export default async function setup() {
  await ensurePanelBuilt((line) => console.log(line));
}
