import { expect, Page, test } from "@playwright/test";
import { expectAccessible, expectOnResults, fillWholeSurvey, signIn, SURVEY } from "./helpers";

// A respondent who changes their mind withdraws their response from the results page,
// after a confirmation (plain forms: the same with JavaScript off and on); the privacy
// notice is summarised on the start page, one click from in full, and a link away from every
// page of the survey.
for (const javaScript of [false, true]) {
  test.describe(javaScript ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a respondent withdraws their response after confirming, and nothing of it remains", async ({ page }) => {
      test.setTimeout(90_000);
      await page.goto(SURVEY);
      await expect(page.getByTestId("privacy-notice")).toContainText("Public task");
      if (javaScript) await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
      await fillWholeSurvey(page);
      await page.getByRole("button", { name: "Submit your answers" }).click();
      await expectOnResults(page);
      if (javaScript) await expectAccessible(page, "the results page with the withdraw link");
      await expect(page.getByTestId("privacy-link")).toBeVisible();

      // Asked first; "keep it" changes nothing.
      await page.getByTestId("withdraw-link").click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Withdraw your response?");
      await expect(page.getByText("This cannot be undone")).toBeVisible();
      await page.getByRole("link", { name: "No, keep it" }).click();
      await expectOnResults(page);

      await page.getByTestId("withdraw-link").click();
      await page.getByTestId("withdraw-confirm").click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your response has been withdrawn");
      // Not a dead end: the survey's title, a way back, the notice and the other language.
      await expect(page.getByTestId("survey-title")).toHaveText("Public Sector Social Media Survey");
      await expect(page.getByTestId("privacy-link")).toBeVisible();
      await expect(page.getByTestId("switch-language")).toHaveText("Cymraeg");
      await page.getByTestId("back-to-survey").click();
      await expect(page.getByTestId("progress")).toHaveText("Section 1 of 5");

      // The receipt went with it: the results are no longer this browser's.
      await page.goto(`${SURVEY}/results`);
      await expect(page.getByText("Results are shown after you answer")).toBeVisible();
      await page.goto(`${SURVEY}/withdraw`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("There is no response to withdraw");
    });
  });
}

test("the privacy notice reads in full, and an owner sees the withdrawal in the audit trail", async ({ page }: { page: Page }) => {
  await page.goto(`${SURVEY}/privacy`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Privacy notice");
  await expect(page.getByTestId("retention")).toContainText("Answers: 2 years after you submit");
  await expectAccessible(page, "the privacy notice");
  await signIn(page);
  await page.goto("/admin/surveys/public-sector-social-media");
  await expect(page.getByTestId("your-role")).toContainText("owner");
  await page.getByRole("navigation", { name: "This survey" }).getByRole("link", { name: "Settings" }).click();
  await page.getByTestId("audit-link").click();
  await expect(page.getByTestId("audit-verified")).toContainText("The whole trail verifies");
  await expect(page.getByTestId("audit")).toContainText("response-withdrawn");
});
