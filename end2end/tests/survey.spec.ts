import { expect, test } from "@playwright/test";
import { expectOnResults, fillWholeSurvey, shownCount, SURVEY } from "./helpers";

test.describe("with JavaScript", () => {
  test("the whole survey is submitted without a page reload and lands on results", async ({ page }) => {
    await page.goto(SURVEY);
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    await fillWholeSurvey(page);
    // A marker on window survives client-side navigation but not a full page load.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByRole("button", { name: "Submit your answers" }).click();
    await expectOnResults(page);
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    expect(await shownCount(page)).toBeGreaterThanOrEqual(1);
    await expect(page.locator("#r-strategy")).toContainText("2013: 87%");
  });

  test("an invalid submit shows the error summary in place and keeps the answers", async ({ page }) => {
    await page.goto(SURVEY);
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    await page.getByLabel("NHS or health body").check();
    await page.getByLabel(/how much do you spend/).fill("lots");
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByRole("button", { name: "Submit your answers" }).click();
    const summary = page.getByRole("alert");
    await expect(summary).toContainText("There is a problem");
    await expect(summary.getByRole("link", { name: "Choose an answer for your role." })).toHaveAttribute("href", "#q-role");
    await expect(page.locator("#q-spend-error")).toContainText("Enter monthly spend as a whole number, like 250.");
    await expect(page.getByLabel("NHS or health body")).toBeChecked();
    await expect(page.getByLabel(/how much do you spend/)).toHaveValue("lots");
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the whole survey is submitted as a plain form and lands on results", async ({ page }) => {
    await page.goto(SURVEY);
    await fillWholeSurvey(page);
    await page.getByRole("button", { name: "Submit your answers" }).click();
    await expectOnResults(page);
    const before = await shownCount(page);
    expect(before).toBeGreaterThanOrEqual(1);
    await page.getByRole("link", { name: "Refresh" }).click();
    await expect(page.getByTestId("response-count")).toHaveText(String(before));
  });

  test("an invalid submit comes back with the error summary and the answers kept", async ({ page }) => {
    await page.goto(SURVEY);
    await page.getByLabel("Education").check();
    await page.getByLabel("News and announcements").check();
    await page.getByLabel("Recruitment").check();
    await page.getByLabel("Campaigns and events").check();
    await page.getByLabel("Customer service", { exact: true }).check();
    await page.getByLabel(/Email address/).fill("head@school.sch.uk");
    await page.getByRole("button", { name: "Submit your answers" }).click();
    await expect(page.getByText("There is a problem")).toBeVisible();
    await expect(page.getByRole("link", { name: "Choose at most 3 purposes; you chose 4." })).toBeVisible();
    await expect(page.getByRole("link", { name: /Tick the box to agree to being sent the findings/ })).toBeVisible();
    await expect(page.getByLabel("Education")).toBeChecked();
    await expect(page.getByLabel("Customer service", { exact: true })).toBeChecked();
    await expect(page.getByLabel(/Email address/)).toHaveValue("head@school.sch.uk");
  });
});
