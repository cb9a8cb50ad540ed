import { expect, Page, test } from "@playwright/test";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ORGANISER_EMAIL, ORGANISER_PASSWORD } from "../organiser";
import { expectAccessible } from "./helpers";

// A survey's workspace as its owner finds it mid-fieldwork: the default survey with 400
// responses, on a server of its own (the shared one's submission limit would take minutes
// to seed that many through). The home is short and holds nothing that cannot be undone;
// each part is a page of its own, found from one navigation, accessible and usable at
// 320 px.

const port = Number(process.env.E2E_PORT ?? 3210) + 2;
const origin = `http://127.0.0.1:${port}`;
const HOME = "/admin/surveys/public-sector-social-media";
const PARTS = ["Home", "Results", "Responses", "Panel and invitations", "Downloads", "Settings"];
let server: ChildProcess;

test.beforeAll(async () => {
  const bin = process.env.CANVASS_BIN ?? "../target/release/canvass";
  const database = `sqlite://${join(mkdtempSync(join(tmpdir(), "canvass-e2e-workspace-")), "workspace.db")}`;
  execFileSync(bin, ["organiser", "add", ORGANISER_EMAIL, "--password-stdin", "--database", database], {
    cwd: "..",
    input: `${ORGANISER_PASSWORD}\n`,
  });
  server = spawn(bin, ["serve", "--addr", `127.0.0.1:${port}`, "--database", database, "--submit-rate", "0"], { cwd: "..", stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${origin}/healthz`).then((r) => r.ok).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const orgs = ["central", "local", "health", "emergency", "education", "housing", "other"];
  for (let i = 0; i < 400; i++) {
    const response = await fetch(`${origin}/api/surveys/public-sector-social-media/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        submission_key: `workspace-${i}`,
        answers: {
          org_type: orgs[i % orgs.length], role: "comms_head", nation: "england", strategy: i % 3 ? "yes" : "no", purposes: ["news"],
          channels: { twitter: "using", facebook: "using", youtube: "planning", linkedin: "no_plans", instagram: "no_plans", flickr: "no_plans", blogs: "planning" },
          user_channels: ["facebook"],
          obstacle: i % 10 === 0 ? `Obstacle number ${i}` : undefined,
        },
      }),
    });
    expect(response.status, await response.text()).toBe(201);
  }
});

test.afterAll(() => {
  server?.kill();
});

async function signIn(page: Page) {
  await page.goto(`${origin}/admin/login`);
  await page.getByLabel("Email address").fill(ORGANISER_EMAIL);
  await page.getByLabel("Password").fill(ORGANISER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

test("the survey home is short, leads to each part, and nothing on it cannot be undone", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await signIn(page);
  await page.goto(`${origin}${HOME}`);
  await expect(page.getByTestId("home-responses")).toHaveText("400");
  await expect(page.getByTestId("tasks")).toContainText("400 responses");

  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(`survey home at 1280 px with 400 responses: ${height} px tall`);
  expect(height).toBeLessThan(2000);
  await page.screenshot({ path: "test-results/workspace-home.png", fullPage: true });

  // One click from the home does nothing for good: its only form is signing out.
  const forms = await page.locator("main form").evaluateAll((fs) => fs.map((f) => f.getAttribute("action")));
  expect(forms).toEqual(["/admin/logout"]);
  await expectAccessible(page, "the survey home");

  const nav = page.getByRole("navigation", { name: "This survey" });
  await expect(nav.getByRole("link")).toHaveText(PARTS);
  for (const part of PARTS.slice(1)) {
    await nav.getByRole("link", { name: part }).click();
    await expect(nav.getByRole("link", { name: part })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(part);
    await expectAccessible(page, `the workspace's ${part}`);
    await page.screenshot({ path: `test-results/workspace-${part.split(" ")[0].toLowerCase()}.png`, fullPage: true });
  }
  await expect(page.getByTestId("survey-state")).toHaveText("Open");

  // The things that cannot be undone each ask on a page of their own.
  await page.getByRole("link", { name: "Close the survey…" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Close this survey?");
  await expectAccessible(page, "closing, confirmed first");
  await page.getByRole("link", { name: "Cancel" }).click();
  await expect(page.getByTestId("survey-state")).toHaveText("Open");
  await nav.getByRole("link", { name: "Panel and invitations" }).click();
  await page.getByTestId("send-reminders").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("No reminders to send");
  await expectAccessible(page, "reminders, confirmed first");
  expect(problems).toEqual([]);
  await context.close();
});

test("a keyboard reaches every part of the workspace from the home", async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  await page.goto(`${origin}${HOME}`);
  const reached: string[] = [];
  for (let i = 0; i < 40 && reached.length < PARTS.length - 1; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const a = document.activeElement as HTMLAnchorElement | null;
      return a?.closest("nav[aria-label='This survey']") ? a.textContent : null;
    });
    if (focused && focused !== "Home" && !reached.includes(focused)) reached.push(focused);
  }
  expect(reached).toEqual(PARTS.slice(1));
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${HOME}/downloads$`));
  await page.close();
});
