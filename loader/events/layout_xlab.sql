-- layout_xlab: the events as OpenDigger reads them, from a table in the layout of X-lab's
-- opensource.events (also the table GH Archive files are imported into).
-- Columns needed: platform, type, action, actor_id, actor_login, repo_id, repo_name, created_at,
-- issue_id, issue_author_id, issue_author_login, issue_comment_id, pull_review_comment_id, pull_merged
-- Parameters: {database:Identifier}, {table:Identifier}
SELECT
    type, action, actor_id, actor_login, repo_id, repo_name, created_at,
    issue_id, issue_author_id, issue_author_login, issue_comment_id, pull_review_comment_id, pull_merged
FROM {database:Identifier}.{table:Identifier}
WHERE platform = 'GitHub'
