-- layout_github_events: the same events from a table in the layout of ClickHouse's public
-- github_events dataset, which has logins and names but no ids: a developer is their lower-cased
-- login, a repository its name (a renamed repository counts as two), an issue or pull request
-- (repo_name, number), and the author of a pull request its creator_user_login.
-- Columns needed: event_type, action, actor_login, repo_name, created_at, number, comment_id,
-- creator_user_login, merged
-- Parameters: {database:Identifier}, {table:Identifier}
SELECT
    toString(event_type) AS type,
    toString(action) AS action,
    sipHash64(lower(actor_login)) AS actor_id,
    toString(actor_login) AS actor_login,
    sipHash64(toString(repo_name)) AS repo_id,
    toString(repo_name) AS repo_name,
    created_at,
    sipHash64(toString(repo_name), number) AS issue_id,
    sipHash64(lower(creator_user_login)) AS issue_author_id,
    toString(creator_user_login) AS issue_author_login,
    if(event_type = 'IssueCommentEvent', comment_id, 0) AS issue_comment_id,
    if(event_type = 'PullRequestReviewCommentEvent', comment_id, 0) AS pull_review_comment_id,
    merged AS pull_merged
FROM {database:Identifier}.{table:Identifier}
