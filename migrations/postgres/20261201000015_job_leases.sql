-- Jobs that one instance at a time should run (the retention job, issue 21): a lease
-- taken by writing an expiry that others wait out. Times are Unix seconds.
CREATE TABLE job_leases (
    name   TEXT    PRIMARY KEY,
    holder TEXT    NOT NULL,
    until  BIGINT  NOT NULL
);
