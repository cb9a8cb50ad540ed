import { expect, Page, test } from "@playwright/test";
import { expectOnResults, fillWholeSurvey, submitByApi, SURVEY } from "./helpers";

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

// The introduction promises a comparison: the results mark the respondent's own answers,
// worked out on the server from the receipt (never from anything in the address), with
// and without JavaScript, and for a stranger's totals nothing is marked.
test("the results mark your own answers, also on another device and without JavaScript", async ({ page, browser, request }) => {
  await submitByApi(request, 5);
  await page.goto(SURVEY);
  await fillWholeSurvey(page);
  await page.getByRole("button", { name: "Submit your answers" }).click();
  await expectOnResults(page);

  const expectMarked = async (p: Page) => {
    await expect(p.locator('#r-org_type li[data-code="local"]')).toContainText("Your answer");
    await expect(p.locator('#r-org_type li[data-code="health"]')).not.toContainText("Your answer");
    await expect(p.locator('#r-purposes li.yours')).toHaveCount(2);
    // A matrix marks the chosen column of each row.
    await expect(p.locator('#r-channels li.yours')).toHaveCount(7);
    // Screen readers hear it in the sentence that carries the figures.
    await expect(p.locator("#r-org_type .visually-hidden")).toContainText("Local authority (your answer):");
  };
  await expectMarked(page);
  await page.screenshot({ path: "test-results/your-answer.png", fullPage: true });

  await page.getByText("See these results on another device").click();
  const href = await page.getByTestId("receipt-link").getAttribute("href");
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const other = await noScript.newPage();
  await other.goto(href!);
  await expectMarked(other);
  await noScript.close();
});
