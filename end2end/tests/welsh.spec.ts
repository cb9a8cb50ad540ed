import { expect, Page, test } from "@playwright/test";
import { expectAccessible, SURVEY } from "./helpers";

// The whole journey in Welsh, with JavaScript off and on, and a change of language part
// of the way through that keeps every answer.

const CHANNELS = ["twitter", "facebook", "youtube", "linkedin", "instagram", "flickr", "blogs"];
const WELSH_CHECK = "Gwiriwch eich atebion cyn i chi eu cyflwyno";

async function continueTo(page: Page, progress: string) {
  await page.getByRole("button", { name: /^Parhau/ }).click();
  await expect(page.getByTestId("progress")).toHaveText(progress);
}

/** Section 1's required answers, then on through every section to the check page. */
async function answerInWelsh(page: Page) {
  await expect(page.getByTestId("progress")).toHaveText("Adran 1 o 5");
  await page.getByLabel("Awdurdod lleol").check();
  await page.getByLabel("Pennaeth cyfathrebu neu farchnata").check();
  await continueTo(page, "Adran 2 o 5");
  await page.locator("#q-strategy-yes").check();
  await page.locator("#q-purposes-news").check();
  await continueTo(page, "Adran 3 o 5");
  for (const channel of CHANNELS) await page.locator(`#q-channels-${channel}-using`).check();
  await continueTo(page, "Adran 4 o 5");
  await continueTo(page, "Adran 5 o 5");
  await continueTo(page, WELSH_CHECK);
}

async function expectWelshPage(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/Arolwg|canlyniadau|Mae eich atebion/);
}

for (const javaScript of [false, true]) {
  test.describe(javaScript ? "in Welsh, with JavaScript" : "in Welsh, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });
    // axe runs as a script in the page, so it checks the pages with JavaScript on: the
    // markup is the same server-rendered HTML either way.
    const accessible = async (page: Page, name: string) => {
      if (javaScript) await expectAccessible(page, name);
    };

    test("the whole survey is answered, checked and submitted in Welsh", async ({ page }) => {
      await page.goto(`${SURVEY}?lang=cy`);
      await expectWelshPage(page);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Arolwg Cyfryngau Cymdeithasol y Sector Cyhoeddus");
      if (javaScript) await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
      await accessible(page, "the Welsh start page");
      // A problem is said in Welsh, by the island or by the server alike.
      await page.getByRole("button", { name: "Parhau" }).click();
      const summary = page.getByRole("alert");
      await expect(summary).toContainText("Mae problem");
      await expect(summary.getByRole("link", { name: "Dewiswch ateb ar gyfer math o sefydliad." })).toBeVisible();
      await expect(page).toHaveTitle(/^Gwall: Am eich sefydliad – Adran 1 o 5/);
      await answerInWelsh(page);
      await expect(page.getByTestId("answer-org_type")).toHaveText("Awdurdod lleol");
      await accessible(page, "the Welsh check page");
      await page.getByRole("button", { name: "Cyflwyno eich atebion" }).click();
      await expect(page).toHaveURL(/\/results$/);
      await expect(page.getByTestId("confirmation")).toContainText("Mae eich atebion wedi’u cadw");
      await expect(page.getByRole("heading", { name: "Sut mae sefydliadau’n cymharu" })).toBeVisible();
      await expect(page.locator("html")).toHaveAttribute("lang", "cy");
      await accessible(page, "the Welsh results page");
      // The choice is remembered: the next page opened is Welsh without asking.
      await page.goto("/");
      await expect(page.locator("html")).toHaveAttribute("lang", "cy");
      await expect(page.getByTestId("switch-language")).toHaveText("English");
    });

    test("switching language part of the way through keeps every answer", async ({ page }) => {
      await page.goto(SURVEY);
      await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
      if (javaScript) await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
      await page.getByLabel("Local authority").check();
      await page.getByLabel("Head of communications or marketing").check();
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page.getByTestId("progress")).toHaveText("Section 2 of 5");
      // Given on this page and not yet sent: the switch sends it.
      await page.locator("#q-strategy-yes").check();
      await page.getByTestId("switch-language").click();
      await expect(page.getByTestId("progress")).toHaveText("Adran 2 o 5");
      await expect(page.locator("html")).toHaveAttribute("lang", "cy");
      await expect(page.locator("#q-strategy-yes")).toBeChecked();
      await page.getByRole("button", { name: "Yn ôl", exact: true }).click();
      await expect(page.getByTestId("progress")).toHaveText("Adran 1 o 5");
      await expect(page.getByLabel("Awdurdod lleol")).toBeChecked();
      await page.getByTestId("switch-language").click();
      await expect(page.getByTestId("progress")).toHaveText("Section 1 of 5");
      await expect(page.getByLabel("Local authority")).toBeChecked();
      await expect(page.getByLabel("Head of communications or marketing")).toBeChecked();
    });
  });
}

test("a browser that prefers Welsh gets Welsh on its first visit", async ({ browser }) => {
  const context = await browser.newContext({ locale: "cy-GB" });
  const page = await context.newPage();
  await page.goto(SURVEY);
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await expect(page.getByTestId("progress")).toHaveText("Adran 1 o 5");
  await expect(page.locator('link[rel="alternate"][hreflang="en-GB"]')).toHaveAttribute("href", /lang=en/);
  await context.close();
});
