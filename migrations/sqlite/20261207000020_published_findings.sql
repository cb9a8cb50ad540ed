-- The findings page (issue 32): a survey's published totals at /s/{slug}/findings, public
-- once its owners publish it (sending the findings with no link of their own does), so
-- the findings email links to a page that identifies no one rather than to each
-- respondent's own receipt.
CREATE TABLE published_findings (
    slug         TEXT PRIMARY KEY,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL
);
