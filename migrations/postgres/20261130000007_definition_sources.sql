-- The text each definition version was published from (a definition file, with its
-- comments), so `canvass survey export` gives back what the organiser wrote. Versions
-- published before this was kept have none; they are exported from their stored form.
ALTER TABLE definitions ADD COLUMN source TEXT;
