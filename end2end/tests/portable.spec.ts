import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SURVEY } from "./helpers";

// One file to deploy: the release binary carries the built site (wasm, js, css and their
// precompressed copies). Copied with only a surveys folder into an empty folder and
// started there, it serves a survey that hydrates.

const PORT = Number(process.env.E2E_PORTABLE_PORT ?? 3231);
const repo = resolve(__dirname, "../..");
const bin = resolve(repo, "end2end", process.env.CANVASS_BIN ?? "../target/release/canvass");

let server: ChildProcess | undefined;
let folder = "";

test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "canvass-portable-"));
  copyFileSync(bin, join(folder, "canvass"));
  cpSync(join(repo, "surveys"), join(folder, "surveys"), { recursive: true });
  // LEPTOS_SITE_ROOT would point it at a site folder: the operator's environment has none.
  const env = { ...process.env };
  delete env.LEPTOS_SITE_ROOT;
  server = spawn("./canvass", ["serve", "--addr", `127.0.0.1:${PORT}`], { cwd: folder, env, stdio: "ignore" });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the copied binary did not start");
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

test("the binary copied alone with its surveys serves a survey that hydrates", async ({ page }) => {
  expect(readdirSync(folder).sort()).toEqual(["canvass", "data", "surveys"]);
  expect(existsSync(join(folder, "target"))).toBe(false);
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  const encodings = new Map<string, string>();
  page.on("response", async (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/pkg/")) encodings.set(path.slice("/pkg/".length), (await r.allHeaders())["content-encoding"] ?? "none");
  });
  await page.goto(`http://127.0.0.1:${PORT}${SURVEY}`);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  for (const file of ["canvass.wasm", "canvass.js", "canvass.css"]) expect(encodings.get(file), file).toBe("br");
  expect(problems).toEqual([]);
  // A cached copy is revalidated: the same tag costs a 304.
  const wasm = await fetch(`http://127.0.0.1:${PORT}/pkg/canvass.wasm`);
  const again = await fetch(`http://127.0.0.1:${PORT}/pkg/canvass.wasm`, { headers: { "if-none-match": wasm.headers.get("etag") ?? "" } });
  expect(again.status).toBe(304);
  expect((await fetch(`http://127.0.0.1:${PORT}/pkg/no-such.wasm`)).status).toBe(404);
});
