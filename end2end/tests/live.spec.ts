import { expect, test } from "@playwright/test";
import { expectOnResults, fillWholeSurvey, shownCount, submitByApi, SURVEY } from "./helpers";

test("the results page moves in steps of five responses, without reloading", async ({ browser, request }) => {
  // The watcher answers first, to hold a receipt, then keeps the results page open.
  const watcherContext = await browser.newContext();
  const watcher = await watcherContext.newPage();
  // Any script error or Content-Security-Policy violation fails the test.
  const problems: string[] = [];
  watcher.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  watcher.on("pageerror", (e) => problems.push(e.message));
  await watcher.goto(SURVEY);
  await expect(watcher.locator('form[data-hydrated="true"]')).toBeVisible();
  await fillWholeSurvey(watcher);
  await watcher.getByRole("button", { name: "Submit your answers" }).click();
  await expectOnResults(watcher);
  await expect(watcher.getByTestId("live")).toBeVisible();
  const before = await shownCount(watcher);
  await watcher.evaluate(() => ((window as any).__sameDocument = true));

  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await other.goto(SURVEY);
  await fillWholeSurvey(other);
  await other.getByRole("button", { name: "Submit your answers" }).click();
  await expectOnResults(other);

  // One more response is never enough to move a respondent's totals (it could be picked
  // out); five more always are. Other organisations answer through the API meanwhile.
  await submitByApi(request, 5);
  await expect.poll(() => shownCount(watcher)).toBeGreaterThanOrEqual(Math.max(5, before + 5));
  expect((await shownCount(watcher)) % 5).toBe(0);
  expect(await watcher.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(watcher.locator("#r-gap")).toContainText("2013: 52%");
  await expect(watcher.locator("#r-segments")).toContainText("fewer than 5");

  await watcher.screenshot({ path: "test-results/results-page.png", fullPage: true });
  expect(problems).toEqual([]);
  await watcherContext.close();
  await otherContext.close();
});
