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
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/pkg/")) fetched.push(path.slice("/pkg/".length));
  });
  await page.goto(SURVEY);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  console.log(`survey page fetched from /pkg: ${fetched.join(", ")}`);
  expect(fetched).toContain("canvass.wasm");
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
