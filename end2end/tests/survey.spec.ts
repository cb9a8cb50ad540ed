import { expect, Page, test } from "@playwright/test";
import { CHECK_STEP, expectOnResults, fillWholeSurvey, next, shownCount, SURVEY } from "./helpers";

/** What the check page must show for the answers `fillWholeSurvey` gives. */
async function expectCheckPage(page: Page) {
  await expect(page.getByTestId("answer-org_type")).toHaveText("Local authority");
  await expect(page.getByTestId("answer-purposes")).toHaveText("Gathering service-user feedback, News and announcements");
  await expect(page.getByTestId("answer-channels")).toContainText("Twitter/X: Using now");
  await expect(page.getByTestId("answer-tool_kinds")).toHaveText("Analytics and reporting");
  await expect(page.getByTestId("answer-obstacle")).toHaveText("Showing outcomes, not outputs.");
  await expect(page.getByTestId("answer-spend")).toHaveText("£1,200");
}

test.describe("with JavaScript", () => {
  test("the survey is answered section by section, checked and submitted without a page reload", async ({ page }) => {
    await page.goto(SURVEY);
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    // A marker on window survives client-side navigation but not a full page load.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await fillWholeSurvey(page);
    await expectCheckPage(page);
    const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("canvass-draft-")));
    expect(await drafts()).toHaveLength(1);
    await page.getByRole("button", { name: "Submit your answers" }).click();
    await expectOnResults(page);
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    // A submitted response leaves no draft behind in the browser.
    expect(await drafts()).toEqual([]);
    expect(await shownCount(page)).toBeGreaterThanOrEqual(1);
    // Each earlier wave against the figure now, tested against chance where its base is known.
    await expect(page.locator("#r-strategy")).toContainText("87% in 2013");
    await expect(page.locator("#r-strategy")).toContainText("70% in 2011 (its base is not published, so not tested)");
    await expect(page.locator("#r-strategy [data-testid=base]")).toContainText("who answered");
  });

  test("a section is checked on Continue and a field on leaving it, in the server's words", async ({ page }) => {
    await page.goto(SURVEY);
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await expect(page).toHaveTitle("About your organisation – Section 1 of 5 – Public Sector Social Media Survey");
    await page.getByLabel("NHS or health body").check();
    await page.getByRole("button", { name: "Continue" }).click();
    const summary = page.getByRole("alert");
    await expect(summary).toContainText("There is a problem");
    // Screen-reader users hear the title first: it says there are errors.
    await expect(page).toHaveTitle("Error: About your organisation – Section 1 of 5 – Public Sector Social Media Survey");
    await expect(summary.getByRole("link", { name: "Choose an answer for your role." })).toHaveAttribute("href", "#q-role");
    await expect(summary).toBeFocused();
    await expect(page.getByLabel("NHS or health body")).toBeChecked();
    await page.getByLabel("Chief executive or director").check();
    await next(page, "Section 2 of 5");
    await expect(page).toHaveTitle("Strategy – Section 2 of 5 – Public Sector Social Media Survey");
    await page.locator("#q-strategy-yes").check();
    await page.getByLabel("News and announcements").check();
    await next(page, "Section 3 of 5");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("alert")).toContainText("Choose an answer for every row of channels.");
    // Back keeps what was given on the earlier page.
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await expect(page.getByTestId("progress")).toHaveText("Section 2 of 5");
    await expect(page.getByLabel("News and announcements")).toBeChecked();
    await next(page, "Section 3 of 5");
    for (const channel of ["Twitter/X", "Facebook", "YouTube", "LinkedIn", "Instagram", "Flickr", "Blogs"]) {
      await page.getByLabel(`${channel}: Planning within 12 months`).check();
    }
    await next(page, "Section 4 of 5");
    // A follow-up question appears only when it applies.
    await expect(page.getByLabel("Analytics and reporting")).toBeHidden();
    await page.locator("#q-paid_tools-yes").check();
    await expect(page.getByLabel("Analytics and reporting")).toBeVisible();
    // Leaving a field with a bad answer shows its message at once.
    await page.getByLabel(/how much do you spend/).fill("lots");
    await page.getByLabel(/how much do you spend/).blur();
    await expect(page.locator("#q-spend-error")).toContainText("Enter monthly spend as a whole number, like 250.");
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  });

  test("a Change link opens its section in the page at the field, and the browser's Back returns", async ({ page }) => {
    await page.goto(SURVEY);
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    await fillWholeSurvey(page);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByRole("link", { name: /Change.*purposes/ }).click();
    await expect(page.getByTestId("progress")).toHaveText("Section 2 of 5");
    await expect(page).toHaveURL(/\?step=2&return=check#q-purposes$/);
    await expect(page.locator("#q-purposes")).toBeFocused();
    await expect(page.getByLabel("News and announcements")).toBeChecked();
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    await page.goBack();
    await expect(page.getByTestId("progress")).toHaveText(CHECK_STEP);
    await expectCheckPage(page);
  });

  test("after Change, Continue returns to Check your answers with the change made", async ({ page }) => {
    await page.goto(SURVEY);
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    await fillWholeSurvey(page);
    await page.getByRole("link", { name: /Change.*purposes/ }).click();
    await expect(page.getByTestId("progress")).toHaveText("Section 2 of 5");
    await page.getByLabel("Customer service", { exact: true }).check();
    await page.getByRole("button", { name: "Continue to check your answers" }).click();
    await expect(page.getByTestId("progress")).toHaveText(CHECK_STEP);
    await expect(page.getByTestId("answer-purposes")).toContainText("Customer service");
    await expect(page.getByTestId("answer-obstacle")).toHaveText("Showing outcomes, not outputs.");
  });

  test("a step that cannot be sent says so, keeps every answer, and goes through on the next try", async ({ page }) => {
    await page.goto(SURVEY);
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    await page.getByLabel("Local authority").check();
    await page.getByLabel("Head of communications or marketing").check();
    // The connection drops: every post to the survey fails.
    await page.route(`**${SURVEY}`, (route) => (route.request().method() === "POST" ? route.abort() : route.continue()));
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("alert")).toContainText("could not be sent");
    await expect(page.getByRole("alert")).toBeFocused();
    await expect(page.getByLabel("Local authority")).toBeChecked();
    await expect(page.getByTestId("progress")).toHaveText("Section 1 of 5");
    await page.unroute(`**${SURVEY}`);
    await next(page, "Section 2 of 5");
  });

  test("a reload half-way restores the answers kept in the browser", async ({ page }) => {
    await page.goto(SURVEY);
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    await page.getByLabel("Housing association").check();
    await page.getByLabel("Head of digital or web").check();
    await next(page, "Section 2 of 5");
    await page.getByLabel("Customer service", { exact: true }).check();
    await page.reload();
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    await expect(page.getByLabel("Customer service", { exact: true })).toBeChecked();
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await expect(page.getByLabel("Housing association")).toBeChecked();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("every section is a plain form post, Back keeps answers, and the check page submits", async ({ page }) => {
    await page.goto(SURVEY);
    await page.getByLabel("Local authority").check();
    await page.getByLabel("Head of communications or marketing").check();
    await next(page, "Section 2 of 5");
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await expect(page.getByTestId("progress")).toHaveText("Section 1 of 5");
    await expect(page.getByLabel("Local authority")).toBeChecked();
    await page.goto(SURVEY);
    await fillWholeSurvey(page);
    await expectCheckPage(page);
    await page.getByRole("link", { name: /Change.*purposes/ }).click();
    await expect(page.getByTestId("progress")).toHaveText("Section 2 of 5");
    await expect(page.getByLabel("News and announcements")).toBeChecked();
    // Continue after Change returns to the check page, not to section 3.
    await page.getByRole("button", { name: "Continue to check your answers" }).click();
    await expect(page.getByTestId("progress")).toHaveText(CHECK_STEP);
    await page.getByRole("button", { name: "Submit your answers" }).click();
    await expectOnResults(page);
    const before = await shownCount(page);
    expect(before % 5).toBe(0);
    await page.getByRole("link", { name: "Refresh" }).click();
    await expectOnResults(page);
    expect(await shownCount(page)).toBe(before);
  });

  test("a section with problems comes back with the error summary and the answers kept", async ({ page }) => {
    await page.goto(SURVEY);
    await page.getByLabel("Education").check();
    await page.getByLabel("Chief executive or director").check();
    await next(page, "Section 2 of 5");
    await page.getByLabel("News and announcements").check();
    await page.getByLabel("Recruitment").check();
    await page.getByLabel("Campaigns and events").check();
    await page.getByLabel("Customer service", { exact: true }).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText("There is a problem")).toBeVisible();
    await expect(page.getByRole("link", { name: "Choose at most 3 purposes; you chose 4." })).toBeVisible();
    await expect(page.getByRole("link", { name: "Choose an answer for communications strategy." })).toBeVisible();
    await expect(page.getByLabel("Customer service", { exact: true })).toBeChecked();
    await expect(page.getByTestId("progress")).toHaveText("Section 2 of 5");
  });
});

test("save and come back later gives a link that brings the answers back in other browsers, at the section left", async ({ browser }) => {
  const first = await browser.newContext();
  const page = await first.newPage();
  await page.goto(SURVEY);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel("Police, fire or rescue").check();
  await page.getByRole("button", { name: "Save and come back later" }).click();
  const link = page.getByTestId("resume-link");
  await expect(link).toBeVisible();
  const url = await link.getAttribute("href");
  expect(url).toMatch(/\/s\/public-sector-social-media\/resume\/[0-9a-f]{64}$/);
  await first.close();

  // A mail scanner opens the link before the reader does: it still works afterwards.
  const scanner = await browser.newContext();
  await (await scanner.newPage()).goto(url!);
  await scanner.close();

  // In a browser that did not save them, the link asks first: whoever sent it could read
  // what is typed next (issue 33).
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await elsewhere.goto(url!);
  await expect(elsewhere.getByRole("heading", { name: "Continue these answers?" })).toBeVisible();
  await expect(elsewhere.getByTestId("resume-warning")).toContainText("Only continue if you saved these answers yourself");
  await elsewhere.getByRole("button", { name: "Continue these answers" }).click();
  await expect(elsewhere.getByTestId("progress")).toHaveText("Section 1 of 5");
  await expect(elsewhere).toHaveURL(/\?step=1$/);
  await expect(elsewhere.getByLabel("Police, fire or rescue")).toBeChecked();
  await elsewhere.getByLabel("Head of digital or web").check();
  await elsewhere.getByRole("button", { name: "Save and come back later" }).click();
  await expect(elsewhere.getByTestId("resume-link")).toBeVisible();
  await other.close();

  // The same link, a day later on a third device, opens where they stopped: section 2.
  const third = await browser.newContext();
  const later = await third.newPage();
  await later.goto(url!);
  await later.getByRole("button", { name: "Continue these answers" }).click();
  await expect(later.getByTestId("progress")).toHaveText("Section 2 of 5");
  await third.close();
});

test("the resume link is copied with one press, or selected with the keys to press where the clipboard is barred", async ({ browser }) => {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  await page.goto(SURVEY);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel("Education").check();
  await page.getByRole("button", { name: "Save and come back later" }).click();
  const url = await page.getByTestId("resume-link").getAttribute("href");
  await page.getByTestId("copy-link").click();
  await expect(page.getByTestId("copy-status")).toHaveText("Link copied.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  // A locked-down browser without the clipboard API: the link is selected instead.
  const barred = await context.newPage();
  await barred.addInitScript(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined }));
  await barred.goto(`${SURVEY}/saved`);
  await barred.getByTestId("copy-link").click();
  await expect(barred.getByTestId("copy-status")).toHaveText("The link is selected: press Ctrl+C (or ⌘C on a Mac) to copy it.");
  expect(await barred.evaluate(() => window.getSelection()?.toString())).toBe(url);
  await context.close();

  // Without JavaScript there is no button that could do nothing.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noScript = await plain.newPage();
  await noScript.goto(SURVEY);
  await noScript.getByLabel("Education").check();
  await noScript.getByRole("button", { name: "Save and come back later" }).click();
  await expect(noScript.getByTestId("resume-link")).toBeVisible();
  await expect(noScript.getByTestId("copy-link")).toBeHidden();
  await plain.close();
});
