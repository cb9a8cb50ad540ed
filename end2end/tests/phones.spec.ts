import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { ORGANISER_EMAIL, ORGANISER_PASSWORD } from "../organiser";
import { expectOnResults, fillWholeSurvey, submitByApi, SURVEY, TAGS } from "./helpers";

/** The document is never wider than the viewport, and names what sticks out if it is. */
async function expectFits(page: Page, name: string) {
  const overflow = await page.evaluate(() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`);
  });
  expect(overflow, `${name} is wider than the phone: ${overflow.join(", ")}`).toEqual([]);
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(found, `${name}: ${found.join("\n")}`).toEqual([]);
}

for (const width of [320, 375]) {
  test(`every page kind fits a phone ${width} px wide`, async ({ browser, request }) => {
    const context = await browser.newContext({ viewport: { width, height: 740 } });
    const page = await context.newPage();
    await submitByApi(request, 5);
    await page.goto(SURVEY);
    await page.getByLabel("Local authority").check();
    await page.getByLabel("Head of communications or marketing").check();
    await page.getByRole("button", { name: "Save and come back later" }).click();
    await expect(page.getByTestId("resume-link")).toBeVisible();
    await expectFits(page, "the saved page");
    await page.goto(SURVEY);
    await fillWholeSurvey(page);
    await expectFits(page, "the check page");
    await page.getByRole("button", { name: "Submit your answers" }).click();
    await expectOnResults(page);
    await expectFits(page, "the results page");
    await page.screenshot({ path: `test-results/results-${width}.png`, fullPage: true });

    await page.goto("/admin/login");
    await expectFits(page, "sign-in");
    await page.getByLabel("Email address").fill(ORGANISER_EMAIL);
    await page.getByLabel("Password").fill(ORGANISER_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin$/);
    await expectFits(page, "the organisers' overview");
    for (const part of ["", "/results", "/responses", "/panel", "/downloads", "/settings"]) {
      await page.goto(`/admin/surveys/public-sector-social-media${part}`);
      await expect(page.getByTestId("workspace-nav")).toBeVisible();
      await expectFits(page, `the workspace page ${part || "home"}`);
    }
    await page.goto("/admin/surveys/public-sector-social-media/results");
    await expect(page.getByTestId("dashboard-count")).toBeVisible();
    await page.screenshot({ path: `test-results/results-${width}.png`, fullPage: true });
    await page.goto("/admin/surveys/public-sector-social-media/edit");
    await expect(page.getByTestId("live-check")).toBeVisible();
    await expectFits(page, "the editor");
    await page.goto("/admin/surveys/public-sector-social-media/close");
    await expect(page.getByTestId("confirm-close")).toBeVisible();
    await expectFits(page, "the close confirmation");
    await context.close();
  });
}

test("on a phone the first question starts on the first screen, with the privacy notice one click away", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await page.goto(SURVEY);
  await expect(page.getByTestId("privacy-summary")).toContainText("Run by The Public Sector Social Media Survey team");
  const notice = page.getByTestId("privacy-notice");
  await expect(notice).toBeHidden();
  const question = page.locator("#q-org_type legend");
  const box = await question.boundingBox();
  expect(box, "question 1 is laid out").not.toBeNull();
  expect(box!.y + box!.height, "question 1 is within the first screen (740 px)").toBeLessThanOrEqual(740);
  await page.screenshot({ path: "test-results/start-375.png" });
  await page.getByText("Read the full privacy notice").click();
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Questions about your data: privacy@social-media-survey.example");
  await context.close();
});
