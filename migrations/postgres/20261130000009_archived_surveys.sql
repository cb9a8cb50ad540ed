-- A closed survey an organiser has put away: hidden from the list of surveys (the front
-- page already lists only open ones), its responses kept and still exportable.
ALTER TABLE survey_states ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
