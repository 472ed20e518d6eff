-- activity: OpenDigger's activity score of each developer in each repository and month, from
-- raw events (X-lab2017/open-digger, src/metrics/indices.ts, basicActivitySqlComponent):
-- distinct issue comments, opened issues, opened pull requests, review comments and merged pull
-- requests, weighted and square-rooted. A merged pull request counts for its author, not for
-- whoever merged it. Runs over `events` (layout_xlab.sql or layout_github_events.sql).
-- Parameters: {first:Date}, {end:Date} (created_at in [first, end)), {repos:Array(String)}
-- (lower-cased names the repositories had at any time; empty: every repository), the weights
-- {issue_comment:Float64}, {open_issue:Float64}, {open_pull:Float64}, {review_comment:Float64},
-- {merged_pull:Float64}
SELECT
    repo_id,
    argMax(repo_name, created_at) AS repo_name,
    developer_id,
    argMax(developer_login, created_at) AS developer_login,
    max(created_at) AS last_seen,
    month,
    uniqExactIf(issue_comment_id, type = 'IssueCommentEvent' AND action = 'created') AS issue_comment,
    uniqExactIf(issue_id, type = 'IssuesEvent' AND action = 'opened') AS open_issue,
    uniqExactIf(issue_id, type = 'PullRequestEvent' AND action = 'opened') AS open_pull,
    uniqExactIf(pull_review_comment_id, type = 'PullRequestReviewCommentEvent' AND action IN ('created', 'added'))
        AS review_comment,
    uniqExactIf(issue_id, type = 'PullRequestEvent' AND action = 'closed' AND pull_merged = 1) AS merged_pull,
    sqrt({issue_comment:Float64} * issue_comment + {open_issue:Float64} * open_issue
         + {open_pull:Float64} * open_pull + {review_comment:Float64} * review_comment
         + {merged_pull:Float64} * merged_pull) AS activity
FROM
(
    SELECT
        repo_id, repo_name, created_at, type, action, issue_id, issue_comment_id, pull_review_comment_id,
        pull_merged,
        formatDateTime(created_at, '%Y-%m') AS month,
        type = 'PullRequestEvent' AND action = 'closed' AND pull_merged = 1 AS credits_author,
        if(credits_author, issue_author_id, actor_id) AS developer_id,
        if(credits_author, issue_author_login, actor_login) AS developer_login
    FROM events
    WHERE type IN ('IssuesEvent', 'IssueCommentEvent', 'PullRequestEvent', 'PullRequestReviewCommentEvent')
      AND created_at >= {first:Date} AND created_at < {end:Date}
      AND (empty({repos:Array(String)})
           OR repo_id IN (SELECT repo_id FROM events WHERE lower(repo_name) IN {repos:Array(String)}))
)
GROUP BY repo_id, developer_id, month
HAVING activity > 0
ORDER BY repo_id, developer_id, month
