import { expect, test } from "@playwright/test";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SURVEY } from "./helpers";

// A second real server, started here with a submission limit of one a minute, so that a
// step's post meets the real rate-limit page (the shared server's limit is too high to
// reach without slowing every other test).
const port = Number(process.env.E2E_PORT ?? 3210) + 1;
const origin = `http://127.0.0.1:${port}`;
let server: ChildProcess;

test.beforeAll(async () => {
  const bin = process.env.CANVASS_BIN ?? "../target/release/canvass";
  const database = join(mkdtempSync(join(tmpdir(), "canvass-e2e-limit-")), "limit.db");
  server = spawn(bin, ["serve", "--addr", `127.0.0.1:${port}`, "--database", `sqlite://${database}`, "--submit-rate", "1", "--submit-burst", "1"], {
    cwd: "..",
    stdio: "ignore",
  });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${origin}/healthz`).then((r) => r.ok).catch(() => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the limited server did not start on ${origin}`);
});

test.afterAll(() => {
  server?.kill();
});

test("a step refused by the rate limit shows the server's words on the same step, answers kept", async ({ page }) => {
  await page.goto(`${origin}${SURVEY}`);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel("Local authority").check();
  await page.getByLabel("Head of communications or marketing").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("progress")).toHaveText("Section 2 of 5");
  await page.locator("#q-strategy-yes").check();
  await page.getByLabel("News and announcements").check();
  // The one submission a minute is spent: this post gets 429.
  await page.getByRole("button", { name: "Continue" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Too many submissions from your network just now. Nothing was lost: wait");
  // Advice for browsers without JavaScript is left out: this page still has the form.
  await expect(summary).not.toContainText("Back button");
  await expect(summary).toBeFocused();
  await expect(page.getByTestId("progress")).toHaveText("Section 2 of 5");
  await expect(page.getByLabel("News and announcements")).toBeChecked();
  await expect(page.getByRole("button", { name: "Continue" })).toBeEnabled();
});
