import { expect, test } from "@playwright/test";
import { fillWholeSurvey, SURVEY } from "./helpers";

// Leptos islands mode: pages are rendered on the server and only islands ship as wasm.
// The questionnaire's island is in the main module; the live results and dashboard
// islands are lazy (`cargo leptos build --split`), fetched only on their own pages.

test("the survey page downloads the questionnaire's island and no other page's code", async ({ page }) => {
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

test("the results page fetches its lazy island's module once there, and goes live", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  const split: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/pkg\/split_.*\.wasm$/.test(path)) split.push(path);
  });
  await page.goto(SURVEY);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await fillWholeSurvey(page);
  expect(split).toEqual([]);
  await page.getByRole("button", { name: "Submit your answers" }).click();
  await expect(page.getByTestId("live")).toBeVisible();
  expect(split.some((p) => /live_?results/i.test(p)), `split modules fetched: ${split.join(", ")}`).toBe(true);
  expect(problems).toEqual([]);
});
