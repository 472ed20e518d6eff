-- create_events_table: the table GH Archive files are imported into, in the layout of X-lab's
-- opensource.events (the columns OpenDigger's activity SQL reads), plus where each row came from.
-- Parameters: {database:Identifier}, {table:Identifier}
CREATE TABLE {database:Identifier}.{table:Identifier}
(
    platform LowCardinality(String),
    type LowCardinality(String),
    action LowCardinality(String),
    actor_id UInt64,
    actor_login String,
    repo_id UInt64,
    repo_name String,
    created_at DateTime('UTC'),
    issue_id UInt64,
    issue_author_id UInt64,
    issue_author_login String,
    issue_comment_id UInt64,
    pull_review_comment_id UInt64,
    pull_merged UInt8,
    problem String,
    source_file String,
    source_line UInt64
)
ENGINE = MergeTree
ORDER BY (repo_id, created_at)
