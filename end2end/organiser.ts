// The organiser account the end-to-end server is started with (see playwright.config.ts).
export const ORGANISER_EMAIL = "e2e.organiser@example.gov.uk";
export const ORGANISER_PASSWORD = "e2e organiser passphrase";
