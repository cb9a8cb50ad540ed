import AxeBuilder from "@axe-core/playwright";
import { APIRequestContext, expect, Page } from "@playwright/test";
import { ORGANISER_EMAIL, ORGANISER_PASSWORD } from "../organiser";

// WCAG 2.0, 2.1 and 2.2, levels A and AA: what UK public bodies must meet.
export const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Scans the page; any violation fails with its rule, impact and the elements hit. */
export async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const checked = results.passes.length + results.violations.length + results.incomplete.length;
  console.log(`axe ${name}: ${checked} rules applied, ${results.passes.length} passed, ${results.violations.length} violations`);
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(found, `${name}: ${found.join("\n")}`).toEqual([]);
}

/** Signs the e2e organiser in, as a person would, and waits for the surveys page. */
export async function signIn(page: Page) {
  await page.goto("/admin/login");
  await page.getByLabel("Email address").fill(ORGANISER_EMAIL);
  await page.getByLabel("Password").fill(ORGANISER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

export const SURVEY = "/s/public-sector-social-media";

/** Presses Continue and waits for the step the survey should show next. */
export async function next(page: Page, progress: string | RegExp) {
  await page.getByRole("button", { name: /^Continue/ }).click();
  await expect(page.getByTestId("progress")).toHaveText(progress);
}

export const CHECK_STEP = "Check your answers before you submit";

/** Answers every section (required questions and a few optional ones) the way a
 * respondent would, pressing Continue after each; ends on "Check your answers". */
export async function fillWholeSurvey(page: Page) {
  await expect(page.getByTestId("progress")).toHaveText("Section 1 of 5");
  await page.getByLabel("Local authority").check();
  await page.getByLabel("Head of communications or marketing").check();
  await page.getByLabel("England").check();
  await next(page, "Section 2 of 5");
  await page.locator("#q-strategy-yes").check();
  await page.getByLabel("News and announcements").check();
  await page.getByLabel("Gathering service-user feedback").check();
  await next(page, "Section 3 of 5");
  for (const channel of ["Twitter/X", "Facebook", "YouTube", "LinkedIn", "Instagram", "Flickr", "Blogs"]) {
    await page.getByLabel(`${channel}: Using now`).check();
  }
  await page.locator("#q-user_channels-facebook").check();
  await next(page, "Section 4 of 5");
  await page.getByLabel("Up to £500").check();
  await page.locator("#q-paid_tools-yes").check();
  await page.getByLabel("Analytics and reporting").check();
  await page.getByLabel(/how much do you spend/).fill("£1,200");
  await page.getByLabel("Better tracking and analysis").check();
  await page.locator("#q-would_pay-not_sure").check();
  await next(page, "Section 5 of 5");
  await page.getByLabel(/biggest obstacle/).fill("Showing outcomes, not outputs.");
  await page.getByLabel(/Email address/).fill("chief.exec@council.gov.uk");
  await page.getByLabel(/I agree to the Public Sector Social Media Survey team/).check();
  await next(page, CHECK_STEP);
}

/** The responses the results page's totals include: 0 while they are withheld (fewer
 * than 5 stored), else the last multiple of 5 (respondents' totals move in steps of 5). */
export async function shownCount(page: Page): Promise<number> {
  if (await page.getByTestId("results-waiting").isVisible()) return 0;
  const text = await page.getByTestId("response-count").textContent();
  return Number(text);
}

export async function expectOnResults(page: Page) {
  // The receipt travels in a cookie: the address never holds it.
  await expect(page).toHaveURL(/\/s\/public-sector-social-media\/results$/);
  await expect(page.getByTestId("confirmation")).toContainText("Your answers are saved");
  await expect(page.getByTestId("reference")).toHaveText(/^[0-9A-Z]{8}$/);
  await expect(page.getByTestId("response-count").or(page.getByTestId("results-waiting"))).toBeVisible();
}

/** Stores `n` complete responses through the JSON API, as other organisations would. */
export async function submitByApi(request: APIRequestContext, n: number) {
  for (let i = 0; i < n; i++) {
    const response = await request.post(`/api/surveys/${SURVEY.split("/").pop()}/responses`, {
      data: {
        submission_key: `api-${Date.now()}-${i}-${Math.random()}`,
        answers: {
          org_type: "health", role: "comms_head", strategy: "yes", purposes: ["news"],
          channels: { twitter: "using", facebook: "using", youtube: "planning", linkedin: "no_plans",
                      instagram: "no_plans", flickr: "no_plans", blogs: "planning" },
          user_channels: ["facebook"],
        },
      },
    });
    expect(response.status()).toBe(201);
  }
}
