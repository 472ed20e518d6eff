-- seed_developers: the active developers of the seeds (any name they had), for expand_candidates.sql.
-- Parameters: {seeds:Array(String)} (lower-cased names)
SELECT DISTINCT actor_id
FROM active
WHERE repo_id IN (SELECT repo_id FROM events WHERE lower(repo_name) IN {seeds:Array(String)})
