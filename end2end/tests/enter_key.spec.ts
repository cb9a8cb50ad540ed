import { expect, Page, test } from "@playwright/test";
import { CHECK_STEP, SURVEY } from "./helpers";

// Enter in a field does what Continue does, on every step, with and without JavaScript.
// The language switch is a submit button of each step's form placed before Continue in
// the page; it must never be the form's default button (Enter once switched to Welsh).

/** Presses Enter in `field` and expects the next step, still in English. */
async function enterIn(page: Page, field: string, progress: string) {
  await page.locator(field).press("Enter");
  await expect(page.getByTestId("progress")).toHaveText(progress);
  await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
  expect(page.url()).not.toContain("lang=cy");
}

/** The first submit button of the step's form (its default button) sends `nav`. */
async function expectDefaultButton(page: Page, nav: string) {
  const first = await page.evaluate(() => {
    const form = document.getElementById("step-form") as HTMLFormElement;
    const buttons = Array.from(form.elements).filter((e) => (e as HTMLButtonElement).type === "submit") as HTMLButtonElement[];
    return buttons[0] ? `${buttons[0].name}=${buttons[0].value}` : "";
  });
  expect(first).toBe(`_nav=${nav}`);
}

for (const javaScript of [false, true]) {
  test.describe(javaScript ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("Enter on every step continues, and never switches the language", async ({ page }) => {
      await page.goto(SURVEY);
      if (javaScript) await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
      await expectDefaultButton(page, "continue");
      await page.getByLabel("Local authority").check();
      await page.getByLabel("Head of communications or marketing").check();
      await enterIn(page, "#q-role-comms_head", "Section 2 of 5");

      await expectDefaultButton(page, "continue");
      await page.locator("#q-strategy-yes").check();
      await page.locator("#q-purposes-news").check();
      await enterIn(page, "#q-purposes-news", "Section 3 of 5");

      await expectDefaultButton(page, "continue");
      for (const channel of ["twitter", "facebook", "youtube", "linkedin", "instagram", "flickr", "blogs"]) {
        await page.locator(`#q-channels-${channel}-using`).check();
      }
      await enterIn(page, "#q-channels-blogs-using", "Section 4 of 5");

      await expectDefaultButton(page, "continue");
      await page.getByLabel(/how much do you spend/).fill("250");
      await enterIn(page, "#q-spend", "Section 5 of 5");

      await expectDefaultButton(page, "continue");
      await page.getByLabel(/biggest obstacle/).fill("Attribution.");
      await enterIn(page, "#q-email", CHECK_STEP);

      // The check page's default is Submit, never the switch.
      await expectDefaultButton(page, "submit");
      await expect(page.getByTestId("answer-spend")).toHaveText("£250");
      // The switch itself still works, and keeps the answers.
      await page.getByTestId("switch-language").click();
      await expect(page.locator("html")).toHaveAttribute("lang", "cy");
      await expect(page.getByTestId("answer-spend")).toHaveText("£250");
    });

    test("Enter on a step with a missing answer shows the problem, in English", async ({ page }) => {
      await page.goto(SURVEY);
      if (javaScript) await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
      await page.getByLabel("Local authority").check();
      await page.getByLabel("Local authority").press("Enter");
      await expect(page.getByRole("alert")).toContainText("There is a problem");
      await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
      await expect(page.getByTestId("progress")).toHaveText("Section 1 of 5");
    });
  });
}
