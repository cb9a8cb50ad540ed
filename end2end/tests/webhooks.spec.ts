import { expect, test } from "@playwright/test";
import { createServer, IncomingHttpHeaders } from "node:http";
import { AddressInfo } from "node:net";
import { expectAccessible, signIn } from "./helpers";

// An owner attaches a webhook from the survey's dashboard, is shown its secret once,
// sends a test event to a real receiver, and sees the delivery in the log. (The test
// server runs with --allow-private-webhooks: the receiver is on 127.0.0.1.)
test("an owner adds a webhook, sends a test event and sees it delivered", async ({ page }) => {
  test.setTimeout(90_000);
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => receiver.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    await signIn(page);
    await page.goto("/admin/surveys/public-sector-social-media/settings");
    await page.getByTestId("webhooks-link").click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Webhooks");
    await expectAccessible(page, "the webhooks page");

    // A URL that is not http(s) is refused with what to change.
    await page.getByLabel("The receiver's URL").fill("ftp://files.example.gov.uk/drop");
    await page.getByRole("button", { name: "Add the webhook" }).click();
    await expect(page.getByTestId("webhooks-notice")).toContainText("not an http or https URL");

    await page.getByLabel("The receiver's URL").fill(url);
    await page.getByRole("button", { name: "Add the webhook" }).click();
    const secret = (await page.getByTestId("new-secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    // (Reloading would send the form again: go to the page afresh.)
    const webhooksPage = "/admin/surveys/public-sector-social-media/webhooks";
    await page.goto(webhooksPage);
    await expect(page.getByText(url)).toBeVisible();
    await expect(page.getByText(secret)).toHaveCount(0);

    await page.getByRole("button", { name: "Send a test event" }).first().click();
    await expect(page.getByTestId("webhooks-notice")).toContainText("test event");
    await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(received[0].headers["webhook-id"]).toMatch(/^msg_/);
    expect(received[0].headers["webhook-signature"]).toMatch(/^v1,/);
    expect(JSON.parse(received[0].body).type).toBe("webhook.test");
    await expect(async () => {
      await page.goto(webhooksPage);
      await expect(page.getByText("delivered (204)")).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });

    // The same URL twice is refused.
    await page.getByLabel("The receiver's URL").fill(url);
    await page.getByRole("button", { name: "Add the webhook" }).click();
    await expect(page.getByTestId("webhooks-notice")).toContainText("already sends its events");

    // Removed, nothing more is sent to it.
    await page.getByRole("button", { name: "Remove" }).first().click();
    await expect(page.getByTestId("webhooks-notice")).toContainText("is removed");
  } finally {
    receiver.close();
  }
});
