import { expect, Page, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

// A research officer builds a survey from nothing with the survey builder, never seeing
// its text: two sections, one choice, several choices with "at most 2", a grid, a number
// with a unit, a question asked only if the first is answered "Yes", benchmarks for
// 2013, and Welsh for every text through the translator's CSV. They preview it, publish
// it, and it is answered in English and in Welsh. With JavaScript off and on: the
// builder's pages are plain forms either way.

/** The cells of a CSV line (quoted fields, `""` for a quote), as a spreadsheet reads it. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (c !== "\r") field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

const quoted = (cell: string) => `"${cell.replace(/"/g, '""')}"`;

async function addQuestion(page: Page, section: number, kind: string) {
  await page.getByRole("link", { name: `Add a question to section ${section}` }).click();
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Add a question");
}

async function checkAndSave(page: Page, accessible: (name: string) => Promise<void>) {
  await page.getByRole("button", { name: "Check your question" }).click();
  await expect(page.getByRole("heading", { name: "Check your question" })).toBeVisible();
  await accessible("check your question");
  await page.getByRole("button", { name: "Save question" }).click();
  await expect(page.getByTestId("builder-notice")).toHaveText("Question saved.");
}

for (const javaScript of [false, true]) {
  test.describe(javaScript ? "the survey builder, with JavaScript" : "the survey builder, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });
    const slug = javaScript ? "e2e-built-with-js" : "e2e-built-without-js";

    test("a survey is built from nothing, previewed, published and answered in English and Welsh", async ({ page, browser }) => {
      // axe runs as a script in the page: it checks the pages with JavaScript on.
      const accessible = async (name: string) => {
        if (javaScript) await expectAccessible(page, `builder: ${name}`);
      };
      await signIn(page);
      await page.getByTestId("new-survey").click();
      await expect(page).toHaveURL(/\/admin\/new\/build$/);
      await accessible("start");
      await page.getByLabel("Title").fill(`Board survey ${javaScript ? "A" : "B"}`);
      await page.getByLabel("Web address").fill(slug);
      await page.getByLabel("A blank survey", { exact: true }).check();
      await page.getByRole("button", { name: "Start the survey" }).click();
      await expect(page).toHaveURL(new RegExp(`/admin/new/${slug}/build\\?done=started$`));

      await page.getByRole("link", { name: "About the survey" }).click();
      await accessible("about the survey");
      await page.getByLabel("Introduction").fill("How boards see social media.");
      await page.getByLabel("Who is responsible for the answers").fill("Example Council, 1 High Street, Anytown");
      await page.getByLabel("Where to ask about their data").fill("dpo@example.gov.uk");
      await page.getByLabel("Also in Welsh").check();
      await page.getByRole("button", { name: "Save the details" }).click();
      await expect(page.getByTestId("builder-notice")).toHaveText("The survey’s details are saved.");

      for (const title of ["About you", "Your accounts"]) {
        await page.getByLabel("Section title").fill(title);
        await page.getByRole("button", { name: "Add a section" }).click();
        await expect(page.getByTestId("builder-notice")).toHaveText("Section added.");
      }

      await addQuestion(page, 1, "One choice");
      await accessible("a new question");
      await page.getByLabel("Question text").fill("Do you use social media?");
      await page.getByLabel("Code").fill("uses");
      await page.getByLabel("Required").check();
      await page.getByLabel("Options, one per line").fill("Yes\nNo");
      await checkAndSave(page, accessible);

      await addQuestion(page, 1, "Several choices");
      await page.getByLabel("Question text").fill("Which channels do you use?");
      await page.getByLabel("Code").fill("channels");
      await page.getByLabel("Options, one per line").fill("Twitter/X\nFacebook\nLinkedIn");
      await page.getByLabel("At most").fill("2");
      await page.getByLabel("Ask this question only if").selectOption({ label: "“Do you use social media?” is “Yes”" });
      await checkAndSave(page, accessible);

      await addQuestion(page, 2, "Grid");
      await page.getByLabel("Question text").fill("How often do you post on each?");
      await page.getByLabel("Code").fill("frequency");
      await page.getByLabel("Rows, one per line").fill("Twitter/X\nFacebook");
      await page.getByLabel("Columns, one per line").fill("Daily\nWeekly\nRarely");
      await checkAndSave(page, accessible);

      await addQuestion(page, 2, "Number");
      await page.getByLabel("Question text").fill("How many people run your accounts?");
      await page.getByLabel("Code").fill("staff");
      await page.getByLabel("Minimum").fill("0");
      await page.getByLabel("Maximum").fill("500");
      await page.getByLabel("Unit").fill("people");
      await checkAndSave(page, accessible);

      await expect(page.getByTestId("conditions")).toContainText("Asked only if “Do you use social media?” is “Yes”");
      await accessible("overview");
      // 320 px: nothing wider than the screen.
      await page.setViewportSize({ width: 320, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await page.setViewportSize({ width: 1280, height: 800 });

      await page.getByRole("link", { name: "Benchmarks of “Do you use social media?”" }).click();
      await accessible("benchmarks");
      await page.getByLabel("Year of the wave").fill("2013");
      await page.getByLabel("Base").fill("400");
      await page.getByLabel("Yes", { exact: true }).fill("62");
      await page.getByRole("button", { name: "Save benchmarks" }).click();
      await expect(page.getByTestId("builder-notice")).toHaveText("Benchmarks saved.");

      // Welsh: the translator's file, downloaded, filled in and uploaded.
      await page.getByRole("link", { name: "Welsh", exact: true }).click();
      await accessible("welsh");
      await expect(page.getByTestId("welsh-missing")).toContainText("still need their Welsh");
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the translator’s file" }).click()]);
      const stream = await download.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const rows = csvRows(Buffer.concat(chunks).toString("utf8"));
      expect(rows[0]).toEqual(["key", "english", "Welsh (Cymraeg)", "check"]);
      // The check column says where the translator is needed: here, everywhere.
      expect(rows.slice(1).every((row) => row[3] === "missing")).toBe(true);
      const filled = [rows[0].map(quoted).join(","), ...rows.slice(1).map(([key, english]) => [key, english, `Cy ${english}`, ""].map(quoted).join(","))].join("\r\n");
      await page.getByLabel("The filled-in file").setInputFiles({ name: "welsh.csv", mimeType: "text/csv", buffer: Buffer.from(filled, "utf8") });
      await page.getByRole("button", { name: "Upload the Welsh" }).click();
      await expect(page.getByTestId("welsh-missing")).toHaveText("Every text has its Welsh.");

      await page.getByRole("link", { name: "Questions", exact: true }).click();
      await page.getByRole("link", { name: "Preview from the start" }).click();
      await accessible("preview");
      await expect(page.getByTestId("preview")).toContainText("Do you use social media?");
      await page.getByRole("link", { name: "Next section" }).click();
      await expect(page.getByTestId("preview")).toContainText("How often do you post on each?");
      await page.getByRole("link", { name: "Cymraeg" }).click();
      await expect(page.getByTestId("preview")).toContainText("Cy How often do you post on each?");

      await page.getByRole("link", { name: "Questions", exact: true }).click();
      await page.getByRole("button", { name: "Publish…" }).click();
      await accessible("publish");
      await page.getByRole("button", { name: "Publish version 1" }).click();
      await expect(page).toHaveURL(new RegExp(`/admin/surveys/${slug}\\?published=1$`));

      // Answered in English, then in Welsh, as respondents would.
      const respondent = await browser.newPage({ javaScriptEnabled: javaScript });
      await respondent.goto(`/s/${slug}`);
      await expect(respondent.getByTestId("progress")).toHaveText("Section 1 of 2");
      await respondent.getByLabel("Yes", { exact: true }).check();
      await respondent.getByLabel("Twitter/X").check();
      await respondent.getByLabel("Facebook").check();
      await respondent.getByRole("button", { name: /^Continue/ }).click();
      await expect(respondent.getByTestId("progress")).toHaveText("Section 2 of 2");
      await respondent.getByLabel("Twitter/X: Daily").check();
      await respondent.getByLabel(/How many people run your accounts/).fill("3");
      await respondent.getByRole("button", { name: /^Continue/ }).click();
      await expect(respondent.getByTestId("progress")).toHaveText("Check your answers before you submit");
      await respondent.getByRole("button", { name: "Submit your answers" }).click();
      await expect(respondent.getByTestId("confirmation")).toBeVisible();
      await respondent.close();

      const welsh = await browser.newPage({ javaScriptEnabled: javaScript });
      await welsh.goto(`/s/${slug}?lang=cy`);
      await expect(welsh.getByTestId("progress")).toHaveText("Adran 1 o 2");
      await welsh.getByLabel("Cy No", { exact: true }).check();
      await welsh.getByRole("button", { name: /^Parhau/ }).click();
      await expect(welsh.getByTestId("progress")).toHaveText("Adran 2 o 2");
      await welsh.getByLabel("Cy Facebook: Cy Weekly").check();
      await welsh.getByRole("button", { name: /^Parhau/ }).click();
      await expect(welsh.getByTestId("progress")).toHaveText("Gwiriwch eich atebion cyn i chi eu cyflwyno");
      await welsh.getByRole("button", { name: "Cyflwyno eich atebion" }).click();
      await expect(welsh.getByTestId("confirmation")).toBeVisible();
      await welsh.close();

      // The export and codebook, as for a survey written as text: a column a code.
      const exported = await page.request.get(`/admin/surveys/${slug}/export.csv`);
      expect(exported.status()).toBe(200);
      const lines = (await exported.text()).trim().split(/\r?\n/);
      expect(lines).toHaveLength(3);
      for (const column of ["uses", "channels.twitter_x", "frequency.twitter_x", "staff"]) expect(lines[0]).toContain(column);
      const codebook = await page.request.get(`/admin/surveys/${slug}/codebook.csv`);
      expect(codebook.status()).toBe(200);
      const book = await codebook.text();
      for (const text of ["How many people run your accounts?", "Cy How many people run your accounts?", "uses = yes"]) expect(book).toContain(text);
    });
  });
}

/** Presses Tab until the focused element's accessible text is `name`; fails after 300. */
async function tabTo(page: Page, name: string | RegExp) {
  for (let i = 0; i < 300; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return "";
      const labelled = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      return (labelled ?? el.getAttribute("aria-label") ?? el.textContent ?? "").replace(/\s+/g, " ").trim();
    });
    if (typeof name === "string" ? focused === name : name.test(focused)) return;
  }
  throw new Error(`never reached ${name} by Tab`);
}

test("a question is added, moved and deleted with the keyboard alone", async ({ page }) => {
  await signIn(page);
  await page.goto("/admin/new/build");
  await tabTo(page, "Title");
  await page.keyboard.type("Keyboard survey");
  await tabTo(page, "Web address");
  await page.keyboard.type("e2e-keyboard");
  await tabTo(page, "Start the survey");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/admin\/new\/e2e-keyboard\/build\?done=started$/);

  await tabTo(page, "Section title");
  await page.keyboard.type("Only section");
  await tabTo(page, "Add a section");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("builder-notice")).toHaveText("Section added.");

  for (const [text, code] of [["First question?", "first"], ["Second question?", "second"]]) {
    await tabTo(page, "Add a question to section 1");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("group", { name: "Kind of question" })).toBeVisible();
    await tabTo(page, "One choice");
    await page.keyboard.press("Space");
    await tabTo(page, "Continue");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/kind=single/);
    await tabTo(page, "Question text");
    await page.keyboard.type(text);
    await tabTo(page, "Code");
    await page.keyboard.type(code);
    await tabTo(page, "Options, one per line");
    await page.keyboard.type("Yes");
    await page.keyboard.press("Enter");
    await page.keyboard.type("No");
    await tabTo(page, "Check your question");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Check your question" })).toBeVisible();
    await tabTo(page, "Save question");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("builder-notice")).toHaveText("Question saved.");
  }
  // "Add a question" adds after the section's last question.
  const order = () => page.locator(".builder-question .builder-wording").allTextContents();
  await expect.poll(order).toEqual(["First question?", "Second question?"]);

  await tabTo(page, "Move down “First question?”");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("builder-notice")).toHaveText("Question moved.");
  await expect.poll(order).toEqual(["Second question?", "First question?"]);

  await tabTo(page, "Delete “Second question?”");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Delete this question?");
  await tabTo(page, "Delete the question");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("builder-notice")).toHaveText("Question deleted.");
  await expect.poll(order).toEqual(["First question?"]);
});
