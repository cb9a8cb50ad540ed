import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

// An organiser runs a survey of their own: a new survey from the blank template, checked
// as it is typed (line and column), previewed with the respondent's components, published
// without a restart, then changed with the changes shown before publishing.

const SLUG = "e2e-staff-survey";

test("a new survey is written, checked as it is typed, previewed, published and then changed", async ({ page, browser }) => {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await signIn(page);
  await page.getByTestId("new-survey").click();
  // New surveys start in the builder; the text editor is one link away.
  await expect(page).toHaveURL(/\/admin\/new\/build$/);
  await page.getByTestId("new-survey-as-text").click();
  await expect(page).toHaveURL(/\/admin\/new$/);
  // The check is server-rendered hidden and shown once its island runs.
  await expect(page.getByTestId("live-check")).toBeVisible();
  // Valid, but not yet ready to publish: the privacy notice's facts are missing.
  await expect(page.getByTestId("before-publishing")).toContainText("add `controller");
  await expect(page.getByTestId("preview")).toContainText("Preview — answers are not saved");

  const editor = page.getByTestId("definition");
  const blank = await editor.inputValue();
  // A wrong keystroke: the problem appears at once, with its line and column.
  await editor.fill(blank.replace('kind = "single"', 'kind = "singel"').replace('slug = "new-survey"', `slug = "${SLUG}"`));
  const line = blank.split("\n").findIndex((l) => l === 'id = "org_type"') + 1;
  await expect(page.getByTestId("live-check")).toContainText(`line ${line}, column 1: question \`org_type\`: unknown kind \`singel\``);
  await expect(page.getByTestId("preview")).toHaveCount(0);
  // Typing is saved on the server once it pauses: a closed tab loses nothing.
  await expect(page.getByTestId("autosave")).toContainText("Draft saved at");
  await expectAccessible(page, "the editor with a problem");
  // Saved all the same.
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("editor-notice")).toContainText("Draft saved at");
  await expect(page.getByTestId("editor-problems")).toContainText("unknown kind `singel`");
  // Saving was a page load: wait for the editor's island to run again before using it.
  await expect(page.getByTestId("live-check")).toBeVisible();

  // Uploading a file replaces the text.
  const good = blank
    .replace('slug = "new-survey"', `slug = "${SLUG}"`)
    .replace('title = "New survey"', 'title = "Staff survey 2027"')
    .replace('controller = ""', 'controller = "Example Council"')
    .replace('contact = ""', 'contact = "dpo@example.gov.uk"');
  await page.getByTestId("upload").setInputFiles({ name: "staff.toml", mimeType: "text/plain", buffer: Buffer.from(good) });
  await expect(editor).toHaveValue(good);
  await expect(page.getByTestId("live-check")).toContainText("No problems found.");
  await expect(page.getByTestId("preview")).toContainText("Staff survey 2027");
  await expect(page.getByTestId("preview").getByLabel("Local authority")).toBeVisible();
  await expectAccessible(page, "the editor with a preview");
  await page.screenshot({ path: "test-results/editor.png", fullPage: true });

  // Line numbers beside the text, one a line, renumbered as lines come, in step with it:
  // the textarea holds every line, and one box scrolls both.
  const numbers = page.locator("#definition-lines");
  const numbered = async () => ((await numbers.textContent()) ?? "").split("\n").length;
  expect(await numbered()).toBeGreaterThanOrEqual(good.split("\n").length);
  const metrics = () =>
    page.evaluate(() => {
      const [n, a] = ["definition-lines", "definition"].map((id) => document.getElementById(id)!);
      const [ns, as] = [getComputedStyle(n), getComputedStyle(a)];
      return {
        sameLines: ns.lineHeight === as.lineHeight && ns.fontSize === as.fontSize && ns.paddingTop === as.paddingTop,
        sameTop: Math.abs(n.getBoundingClientRect().top - a.getBoundingClientRect().top) < 1,
        textareaScrolls: a.scrollHeight > a.clientHeight,
      };
    });
  expect(await metrics()).toEqual({ sameLines: true, sameTop: true, textareaScrolls: false });
  await editor.fill(good + "\n# one\n# two\n# three\n# four\n# five\n# six\n# seven\n# eight\n# nine\n# ten\n");
  await expect.poll(numbered).toBeGreaterThanOrEqual(good.split("\n").length + 10);
  expect(await metrics()).toEqual({ sameLines: true, sameTop: true, textareaScrolls: false });
  await editor.fill(good);
  await expect(page.getByTestId("live-check")).toContainText("No problems found.");

  await page.getByRole("button", { name: "Publish…" }).click();
  // A new survey goes public on publishing: asked first, saying where it will be found.
  await expect(page.getByTestId("going-public")).toContainText("The front page will list it");
  await page.getByRole("button", { name: "Publish the survey" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/surveys/${SLUG}\\?published=1$`));
  await expect(page.getByTestId("published")).toContainText("Version 1 is published");

  // Respondents can open it at once, without a restart.
  const respondent = await browser.newContext();
  const visitor = await respondent.newPage();
  await visitor.goto(`/s/${SLUG}`);
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Staff survey 2027");
  await respondent.close();

  // A change to the live survey is shown, wording apart from structure, before it is made.
  // The text editor is on the survey's Settings, beside the builder.
  await page.getByRole("navigation", { name: "This survey" }).getByRole("link", { name: "Settings" }).click();
  await page.getByTestId("edit-survey").click();
  await expect(editor).toHaveValue(good);
  await expect(page.getByTestId("live-check")).toBeVisible();
  await editor.fill(good.replace('label = "Local authority"', 'label = "Local council"').replace(
    '{ code = "other", label = "Another kind of organisation" },',
    '{ code = "other", label = "Another kind of organisation" },\n  { code = "charity", label = "Charity" },'));
  await page.getByRole("button", { name: "Publish…" }).click();
  const changes = page.getByTestId("publish-changes");
  await expect(changes).toContainText("Publish version 2?");
  await expect(changes).toContainText("option `local` “Local authority” → “Local council”");
  await expect(changes).toContainText("option `charity` added");
  await expectAccessible(page, "the changes before publishing");
  await page.getByRole("button", { name: "Publish version 2" }).click();
  await expect(page.getByTestId("published")).toContainText("Version 2 is published");
  expect(problems).toEqual([]);
});

test("the editor's code is fetched on the editor only, never with the questionnaire", async ({ page }) => {
  const split: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/pkg\/split_.*\.wasm$/.test(path)) split.push(path);
  });
  await page.goto("/s/public-sector-social-media");
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  expect(split.filter((p) => /live_?check/i.test(p))).toEqual([]);
  await signIn(page);
  await page.goto("/admin/new");
  await expect(page.getByTestId("live-check")).toBeVisible();
  await expect.poll(() => split.some((p) => /live_?check/i.test(p)), { message: `split modules fetched: ${split.join(", ")}` }).toBe(true);
});
