-- active_developers: the report's active developers of each repository in a period: actors of
-- issues, pull requests, issue comments, reviews and review comments, bots left out by the
-- loader's own rule (loader/bots.py). One row per (repository, developer). Used as `active` by
-- expand_candidates.sql and expand_pairs.sql.
-- Parameters: {first:Date}, {end:Date}, {bot_suffixes:Array(String)}, {bot_accounts:Array(String)}
SELECT repo_id, actor_id, argMax(repo_name, created_at) AS repo_name, max(created_at) AS last_seen
FROM events
WHERE type IN ('IssuesEvent', 'IssueCommentEvent', 'PullRequestEvent', 'PullRequestReviewEvent',
               'PullRequestReviewCommentEvent')
  AND created_at >= {first:Date} AND created_at < {end:Date}
  AND NOT arrayExists(suffix -> endsWith(lower(actor_login), suffix), {bot_suffixes:Array(String)})
  AND lower(actor_login) NOT IN {bot_accounts:Array(String)}
GROUP BY repo_id, actor_id
