// The SMTP server the end-to-end server sends through (aiosmtpd, started beside it by
// playwright.config.ts) and the Maildir its messages land in, to be read back.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 3225);
export const MAILDIR = `/tmp/canvass-e2e-mail-${SMTP_PORT}`;

/** Every message received so far, as text (quoted-printable soft breaks joined). */
export function received(): string[] {
  const folder = join(MAILDIR, "new");
  let files: string[] = [];
  try {
    files = readdirSync(folder);
  } catch {
    return [];
  }
  return files.map((f) => readFileSync(join(folder, f), "utf8").replace(/=\r?\n/g, "").replace(/=3D/g, "="));
}
