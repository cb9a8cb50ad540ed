import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { ORGANISER_EMAIL, ORGANISER_PASSWORD } from "../organiser";
import { expectOnResults, fillWholeSurvey, SURVEY } from "./helpers";

const DASHBOARD = "/admin/surveys/public-sector-social-media";

test("an organiser signs in, watches the count rise live on Results, reads the answers and downloads the CSV", async ({ browser }) => {
  const organiserContext = await browser.newContext({ acceptDownloads: true });
  const page = await organiserContext.newPage();
  // Any script error or Content-Security-Policy violation fails the test.
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && !m.text().includes("401") && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));

  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.getByLabel("Email address").fill(ORGANISER_EMAIL);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("sign-in-error")).toContainText("not right");
  await page.getByLabel("Password").fill(ORGANISER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId("organiser")).toHaveText(ORGANISER_EMAIL);

  await page.locator(`a[href="${DASHBOARD}"]`).click();
  await expect(page).toHaveURL(new RegExp(`${DASHBOARD}$`));
  // The survey's home: its figures and the work of fieldwork as a task list.
  await expect(page.getByTestId("tasks")).toContainText("Watch the results");
  const nav = page.getByRole("navigation", { name: "This survey" });
  await nav.getByRole("link", { name: "Results" }).click();
  await expect(page).toHaveURL(new RegExp(`${DASHBOARD}/results$`));
  await expect(nav.getByRole("link", { name: "Results" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("live")).toBeVisible();
  const before = Number(await page.getByTestId("dashboard-count").textContent());
  await page.evaluate(() => ((window as any).__sameDocument = true));

  const respondentContext = await browser.newContext();
  const respondent = await respondentContext.newPage();
  await respondent.goto(SURVEY);
  await fillWholeSurvey(respondent);
  await respondent.getByRole("button", { name: "Submit your answers" }).click();
  await expectOnResults(respondent);

  await expect(page.getByTestId("dashboard-count")).toHaveText(String(before + 1));
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await page.screenshot({ path: "test-results/results.png", fullPage: true });

  await nav.getByRole("link", { name: "Responses" }).click();
  await expect(page.getByTestId("texts-obstacle")).toContainText("Showing outcomes, not outputs.");
  await nav.getByRole("link", { name: "Downloads" }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^public-sector-social-media-responses-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0].startsWith("response_id,submitted_at,version,language,org_type,")).toBe(true);
  expect(csv).toContain("Showing outcomes");
  expect(csv).not.toContain("chief.exec@council.gov.uk");

  // Closing shows respondents a closed page. It is on Settings, and asks first on its own
  // page, saying who is part-way through.
  await nav.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Close the survey…" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Close this survey?");
  await expect(page.getByTestId("confirm-close")).toContainText("No new responses will be accepted");
  await expect(page.getByTestId("drafts-in-progress")).toBeVisible();
  await page.screenshot({ path: "test-results/confirm-close.png", fullPage: true });
  await page.getByRole("button", { name: "Yes, close the survey" }).click();
  await expect(page.getByTestId("survey-state")).toHaveText("Closed");
  await respondent.goto(SURVEY);
  await expect(respondent.getByTestId("survey-closed")).toBeVisible();
  await page.getByRole("button", { name: "Reopen the survey" }).click();
  await expect(page.getByTestId("survey-state")).toHaveText("Open");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto(DASHBOARD);
  await expect(page).toHaveURL(/\/admin\/login$/);

  expect(problems).toEqual([]);
  await organiserContext.close();
  await respondentContext.close();
});
