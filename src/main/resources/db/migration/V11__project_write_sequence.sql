-- Counts the commits of secret changes per project. A writer reads it before it works out which
-- deployments its change restarts, and its commit advances it under the row's lock: if another
-- commit in the project came in between, the writer's impact may rest on keys that have changed
-- since, and it is worked out again before anything commits.
CREATE TABLE project_write_sequence (
    project_id BIGINT NOT NULL PRIMARY KEY,
    seq        BIGINT NOT NULL
);
