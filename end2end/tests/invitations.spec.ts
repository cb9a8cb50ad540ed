import { expect, test } from "@playwright/test";
import { ORGANISER_EMAIL, ORGANISER_PASSWORD } from "../organiser";
import { received } from "../mail";
import { fillWholeSurvey } from "./helpers";

const PANEL = "/admin/surveys/public-sector-social-media/panel";

// An organiser imports the panel and sends invitations from its Panel page; the email
// arrives at a real SMTP server; the invited respondent follows its link with JavaScript
// on, answers, and the link then says they have responded.
test("an invitation sent from the panel page is followed from the email, answered once, and counted", async ({ browser }) => {
  const organiser = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  organiser.on("pageerror", (e) => problems.push(e.message));
  await organiser.goto("/admin/login");
  await organiser.getByLabel("Email address").fill(ORGANISER_EMAIL);
  await organiser.getByLabel("Password").fill(ORGANISER_PASSWORD);
  await organiser.getByRole("button", { name: "Sign in" }).click();
  await expect(organiser).toHaveURL(/\/admin$/);
  await organiser.goto(PANEL);

  const address = `invited.${Date.now()}@council.gov.uk`;
  await organiser.getByTestId("panel-file").setInputFiles({
    name: "panel.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`\ufeffEmail;Name;Organisation\r\n${address};Jo Invited;Anytown Council\r\n`),
  });
  await organiser.getByTestId("import-panel").click();
  await expect(organiser.getByTestId("panel-notice")).toHaveText("Contacts imported: 1 new, 0 updated.");
  // Sending asks first, on its own page, saying to how many.
  await organiser.getByTestId("send-invitations").click();
  await expect(organiser.getByTestId("messages-due")).toContainText("1 person");
  await organiser.getByTestId("confirm-messages").click();
  await expect(organiser.getByTestId("panel-notice")).toContainText("queued");

  let message = "";
  await expect
    .poll(() => {
      message = received().find((m) => m.includes(address)) ?? "";
      return message.length;
    }, { timeout: 30_000 })
    .toBeGreaterThan(0);
  expect(message).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  const link = message.match(/http:\/\/127\.0\.0\.1:\d+\/i\/[a-z0-9]{16}/)?.[0];
  expect(link, message).toBeTruthy();

  const respondent = await (await browser.newContext()).newPage();
  respondent.on("pageerror", (e) => problems.push(e.message));
  await respondent.goto(link!);
  await expect(respondent).toHaveURL(/\/s\/public-sector-social-media\?step=1$/);
  await expect(respondent.locator('form[data-hydrated="true"]')).toBeVisible();
  await fillWholeSurvey(respondent);
  await respondent.getByRole("button", { name: "Submit your answers" }).click();
  await expect(respondent.getByTestId("confirmation")).toContainText("Your answers are saved");

  // The same link, on another device: already responded, with the results.
  const other = await (await browser.newContext()).newPage();
  await other.goto(link!);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("You have already responded");
  await other.getByRole("link", { name: "See the results" }).click();
  await expect(other.getByText("How organisations compare")).toBeVisible();

  // Anonymous survey: the organiser sees the invitation counted, its response held back
  // until 5 have gathered.
  await organiser.goto(PANEL);
  await expect(organiser.getByTestId("panel-held-back")).toContainText("once 5 have gathered");
  expect(problems).toEqual([]);
});
