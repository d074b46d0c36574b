-- One row per project, locked by every transaction that adds restart events to that project's
-- feed, until it commits. Event ids are then assigned in commit order within a project, so a
-- feed reader whose cursor passed an id can never later find a smaller one appear.
CREATE TABLE restart_feed_lock (
    project_id BIGINT NOT NULL PRIMARY KEY
);
