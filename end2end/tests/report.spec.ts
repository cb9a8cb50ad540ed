import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { expectAccessible, signIn, submitByApi } from "./helpers";

// The report an organiser publishes: opened from the dashboard, accessible, printed to PDF
// by Chromium exactly as "Save as PDF" would, and each chart downloaded as SVG.

const DASHBOARD = "/admin/surveys/public-sector-social-media";

/** The text of every page of a PDF, read back with Mozilla's pdf.js, and each page's size in points. */
async function pdfText(pdf: Buffer): Promise<{ pages: string[]; sizes: number[][] }> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const pages: string[] = [];
  const sizes: number[][] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" ").replace(/\s+/g, " "));
    sizes.push(page.view.slice(2));
  }
  return { pages, sizes };
}

test("the report prints to an A4 PDF with its headline findings and charts, and each chart downloads as SVG", async ({ browser, request }) => {
  await submitByApi(request, 10);
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await signIn(page);
  await page.goto(`${DASHBOARD}/results`);
  await page.getByTestId("report-link").click();
  await expect(page).toHaveURL(/\/report$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Public Sector Social Media Survey");
  await expect(page.getByRole("heading", { name: "Headline findings" })).toBeVisible();
  await expect(page.getByTestId("headline-changes").locator("li").first()).toContainText("who answered");
  await expect(page.getByTestId("methodology")).toContainText("Newcombe");
  const charts = page.getByTestId("report-chart");
  expect(await charts.count()).toBeGreaterThan(5);

  await expectAccessible(page, "the report");

  // What "Save as PDF" gives: the print stylesheet, A4.
  const headline = (await page.getByTestId("headline-changes").locator("li").first().textContent())!.trim();
  const { pages, sizes } = await pdfText(await page.pdf({ format: "A4", printBackground: true }));
  // Compared without spaces: pdf.js splits words at ligatures ("fi ndings") and lines.
  const squash = (t: string) => t.replace(/\s+/g, "");
  const text = squash(pages.join(" "));
  expect(pages.length).toBeGreaterThan(1);
  // A4 is 595.3 × 841.9 points; Chromium rounds its page box up.
  for (const [width, height] of sizes) {
    expect(Math.abs(width - 595.3)).toBeLessThan(1.5);
    expect(Math.abs(height - 841.9)).toBeLessThan(1.5);
  }
  expect(text).toContain(squash("Headline findings"));
  // The first headline, as the page words it (its first words: a line may break after).
  expect(text).toContain(squash(headline.split(" ").slice(0, 6).join(" ")));
  expect(text).toContain(squash("Figure 1 Where organisations are, and where their service users are"));
  expect(text).toContain(squash("Figure 2 What type of organisation do you work for?"));
  // The charts are drawn, not pictures of text: their labels and figures are in the PDF.
  expect(text).toContain(squash("Organisations using it"));
  expect(text).toContain(squash("Bars: share of those who answered."));
  expect(text).toMatch(/Of\d+whoanswered\./);
  expect(text).toContain(squash("Methodology"));
  // Page 1 is filled, not left half empty: the methodology starts on it.
  expect(squash(pages[0])).toContain(squash("Methodology"));
  // No table heading at a page's foot with its table on the next: each table is on the page of its heading.
  const afterOnItsPage = (heading: string) => {
    const at = pages.findIndex((p) => squash(p).includes(squash(heading)));
    expect(at, heading).toBeGreaterThan(0);
    return squash(pages[at]).split(squash(heading))[1];
  };
  expect(afterOnItsPage("Responses by organisation type")).toContain(squash("Other public body fewer than 5"));
  expect(afterOnItsPage("or not planning to? Answer")).toContain(squash("Blogs: No plans"));
  // The page's controls are not printed.
  expect(text).not.toContain(squash("Sign out"));
  expect(text).not.toContain(squash("Download figure"));

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download figure 2 (SVG)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^public-sector-social-media-[a-z_]+\.svg$/);
  const svg = readFileSync((await download.path())!, "utf8");
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toContain("who answered.");
  expect(problems).toEqual([]);
  await context.close();
});
