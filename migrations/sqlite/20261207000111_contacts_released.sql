-- Contact details as organisers see them (the findings' addresses, and how many asked):
-- on an anonymous survey they are released in groups of at least 5, as invitations'
-- "responded" marks are, so two downloads around one response never differ by the one
-- address that response gave. Rows stored before this are released already.
ALTER TABLE contacts ADD COLUMN released INTEGER NOT NULL DEFAULT 1;
CREATE INDEX contacts_unreleased ON contacts (response_id) WHERE released = 0;
