import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ORGANISER_EMAIL, ORGANISER_PASSWORD } from "./organiser";
import { MAILDIR, SMTP_PORT } from "./mail";

// The real release server on a fresh SQLite file, started by Playwright and stopped after.
const port = Number(process.env.E2E_PORT ?? 3210);
const bin = process.env.CANVASS_BIN ?? "../target/release/canvass";
const database = join(mkdtempSync(join(tmpdir(), "canvass-e2e-")), "e2e.db");

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: test tools must never download their own browser here.
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium" }],
  webServer: {
    // An organiser account first (as an operator would add one), then the server.
    // And a real SMTP server (aiosmtpd writing a Maildir) for the email the server sends;
    // Playwright stops the whole process group afterwards.
    command:
      `rm -rf ${MAILDIR} && (/usr/bin/python3 server/tests/support/smtp_sink.py ${SMTP_PORT} ${MAILDIR} > /dev/null &) && ` +
      `printf '%s\\n' '${ORGANISER_PASSWORD}' | ${bin} organiser add ${ORGANISER_EMAIL} --password-stdin ` +
      `--database sqlite://${database} && exec ${bin} serve --addr 127.0.0.1:${port} --database sqlite://${database} ` +
      `--smtp-url smtp://127.0.0.1:${SMTP_PORT} --mail-from e2e-survey@canvass.example --allow-private-webhooks`,
    cwd: "..",
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
