import { expect, test } from "@playwright/test";
import { expectAccessible, expectOnResults, fillWholeSurvey, next, shownCount, submitByApi, SURVEY } from "./helpers";

test("every respondent page passes axe at WCAG 2.2 AA, with and without errors", async ({ page, request }) => {
  await page.goto(SURVEY);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await expectAccessible(page, "start (section 1)");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expectAccessible(page, "section 1 with errors");
  await page.getByLabel("Local authority").check();
  await page.getByLabel("Head of communications or marketing").check();
  for (const [n, section] of [[2, "Strategy"], [3, "Channels"], [4, "Budget and tools"], [5, "Comments and contact"]] as const) {
    if (n === 3) {
      await page.locator("#q-strategy-yes").check();
      await page.getByLabel("News and announcements").check();
    }
    if (n === 4) {
      for (const channel of ["Twitter/X", "Facebook", "YouTube", "LinkedIn", "Instagram", "Flickr", "Blogs"]) {
        await page.getByLabel(`${channel}: Using now`).check();
      }
    }
    await next(page, `Section ${n} of 5`);
    await expect(page.getByRole("heading", { name: section })).toBeVisible();
    await expectAccessible(page, `section ${n}`);
  }
  await next(page, "Check your answers before you submit");
  await expectAccessible(page, "check your answers");
  await page.getByRole("button", { name: "Submit your answers" }).click();
  await expectOnResults(page);
  await expectAccessible(page, "results");
  // With totals shown (five more responses), the charts are scanned too.
  const before = await shownCount(page);
  await submitByApi(request, 5);
  await expect.poll(() => shownCount(page)).toBeGreaterThan(before);
  await expect(page.locator("#r-strategy")).toBeVisible();
  await expectAccessible(page, "results with totals");
});

test("the whole survey can be completed with the keyboard alone", async ({ page }) => {
  await page.goto(SURVEY);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  const press = (key: string, times = 1) => (async () => { for (let i = 0; i < times; i++) await page.keyboard.press(key); })();
  /** Tabs until the element matching `selector` has focus (a hang guard stops at 80). */
  async function tabTo(selector: string) {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`could not reach ${selector} with Tab`);
  }
  async function choose(selector: string) {
    await tabTo(selector);
    await press("Space");
  }
  // Radios: Tab reaches the group, Space picks the focused option; arrows move within it.
  await tabTo('input[name="org_type"]');
  await press("ArrowDown"); // Local authority
  await tabTo('input[name="role"]');
  await press("ArrowDown"); // Head of communications or marketing
  await tabTo('button[value="continue"]');
  await press("Enter");
  await expect(page.getByTestId("progress")).toHaveText("Section 2 of 5");
  await tabTo('input[name="strategy"]');
  await press("Space");
  await choose("#q-purposes-news");
  await tabTo('button[value="continue"]');
  await press("Enter");
  await expect(page.getByTestId("progress")).toHaveText("Section 3 of 5");
  for (const row of ["twitter", "facebook", "youtube", "linkedin", "instagram", "flickr", "blogs"]) {
    await tabTo(`input[name="channels.${row}"]`);
    await press("Space");
  }
  await tabTo('button[value="continue"]');
  await press("Enter");
  await expect(page.getByTestId("progress")).toHaveText("Section 4 of 5");
  await tabTo('button[value="continue"]');
  await press("Enter");
  await expect(page.getByTestId("progress")).toHaveText("Section 5 of 5");
  await tabTo('button[value="continue"]');
  await press("Enter");
  await expect(page.getByTestId("progress")).toHaveText("Check your answers before you submit");
  await expect(page.getByTestId("answer-org_type")).toHaveText("Local authority");
  await expect(page.getByTestId("answer-channels")).toContainText("Twitter/X: Using now");
  await tabTo('button[value="submit"]');
  await press("Enter");
  await expectOnResults(page);
});

test("at 320 CSS pixels wide (400% zoom) no step scrolls sideways and the matrix rows stack", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 720 });
  const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  await page.goto(SURVEY);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  expect(await fitsWidth()).toBe(true);
  await page.goto(`${SURVEY}?step=3`);
  await expect(page.getByTestId("progress")).toHaveText("Section 3 of 5");
  expect(await fitsWidth()).toBe(true);
  // Stacked: each row's choices sit one under another.
  const using = await page.getByLabel("Twitter/X: Using now").boundingBox();
  const planning = await page.getByLabel("Twitter/X: Planning within 12 months").boundingBox();
  expect(planning!.y).toBeGreaterThan(using!.y);
  await expectAccessible(page, "section 3 at 320 px");
  for (const step of ["4", "5", "check"]) {
    await page.goto(`${SURVEY}?step=${step}`);
    expect(await fitsWidth(), `step ${step}`).toBe(true);
  }
});
