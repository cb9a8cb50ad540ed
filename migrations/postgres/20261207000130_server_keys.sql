-- A secret this database keeps for its servers (issue 33), made by the first server that
-- needs it and shared by every instance and every restart through the database:
-- `server` keys the read API's sealed paging cursors and the hashes that throttle
-- "Email me this link" (`server::keyed`). 64 hex digits; never shown, never exported.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    key  TEXT NOT NULL
);
