import { expect, test } from "@playwright/test";
import { SURVEY } from "./helpers";

// Every page but the questionnaire is split out of the main WebAssembly bundle
// (`cargo leptos build --split`): a respondent downloads the questionnaire's code only,
// and another page fetches its own module when it is shown.

test("the survey page downloads the questionnaire's code and no other page's", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  const fetched: string[] = [];
  const encodings = new Map<string, string>();
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/pkg/")) fetched.push(path.slice("/pkg/".length));
  });
  page.on("response", async (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/pkg/")) encodings.set(path.slice("/pkg/".length), (await r.allHeaders())["content-encoding"] ?? "none");
  });
  await page.goto(SURVEY);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  console.log(`survey page fetched from /pkg: ${fetched.join(", ")}`);
  expect(fetched).toContain("canvass.wasm");
  // The build precompresses the bundle and the server sends the brotli files.
  for (const file of ["canvass.wasm", "canvass.js", "canvass.css"]) expect(encodings.get(file), file).toBe("br");
  expect(fetched.filter((f) => f.startsWith("split_") || f.startsWith("chunk_"))).toEqual([]);
  expect(problems).toEqual([]);
});

test("a page split out of the bundle fetches its own module and hydrates", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  const homeModule = page.waitForRequest((r) => /\/pkg\/split___home_route_view_\d+\.wasm$/.test(r.url()));
  await page.goto("/");
  await homeModule;
  // Hydrated: the router now follows the link within the same document.
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await page.getByRole("link", { name: /Social Media/ }).click();
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  expect(problems).toEqual([]);
});
