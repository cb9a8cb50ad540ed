import { expect, test } from "@playwright/test";
import { expectOnResults, fillWholeSurvey, SURVEY } from "./helpers";

// A receipt in an address ends up in history and proxy logs: it travels in a cookie, and
// the results page offers a link to open the results on another device.
test("the results open on a second device from the receipt link, and no address holds the receipt", async ({ page, browser }) => {
  const visited: string[] = [];
  page.on("framenavigated", (frame) => visited.push(frame.url()));
  await page.goto(SURVEY);
  await fillWholeSurvey(page);
  await page.getByRole("button", { name: "Submit your answers" }).click();
  await expectOnResults(page);

  await page.getByText("See these results on another device").click();
  const link = page.getByTestId("receipt-link");
  await expect(link).toBeVisible();
  const href = await link.getAttribute("href");
  expect(href).toMatch(/\/s\/public-sector-social-media\/receipt\/[0-9a-f-]+$/);
  await page.screenshot({ path: "test-results/receipt-link.png", fullPage: true });

  const other = await browser.newContext();
  const phone = await other.newPage();
  await phone.goto(href!);
  await expectOnResults(phone);
  await other.close();

  const phoneless = await browser.newContext();
  const stranger = await phoneless.newPage();
  await stranger.goto(`${SURVEY}/results`);
  await expect(stranger.getByText("Results are shown after you answer")).toBeVisible();
  await phoneless.close();

  expect(visited.filter((url) => url.includes("receipt="))).toEqual([]);

  // Back on the survey, the browser is told it has responded; answering again is a choice.
  await page.goto(SURVEY);
  await expect(page.getByTestId("already-responded")).toContainText("You have already responded from this browser");
  await page.getByTestId("answer-again").click();
  await expect(page.getByTestId("progress")).toHaveText("Section 1 of 5");
});
