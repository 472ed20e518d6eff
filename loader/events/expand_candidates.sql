-- expand_candidates: the seeds (any name they had) with their active developers, then the other
-- repositories ranked by how many of the seeds' active developers were active in them too
-- (the landscape report's expansion), strongest first, ties by name.
-- Parameters: those of active_developers.sql, {seeds:Array(String)} (lower-cased names),
-- {limit:UInt32} (candidates returned)
SELECT 'seed' AS role, repo_id, argMax(repo_name, last_seen) AS name, uniqExact(actor_id) AS active_developers,
       uniqExact(actor_id) AS shared
FROM active
WHERE repo_id IN (SELECT repo_id FROM events WHERE lower(repo_name) IN {seeds:Array(String)})
GROUP BY repo_id
UNION ALL
SELECT *
FROM
(
    SELECT 'candidate' AS role, repo_id, argMax(repo_name, last_seen) AS name,
           uniqExact(actor_id) AS active_developers,
           uniqExactIf(actor_id, actor_id IN (SELECT actor_id FROM seed_developers)) AS shared
    FROM active
    WHERE repo_id NOT IN (SELECT repo_id FROM events WHERE lower(repo_name) IN {seeds:Array(String)})
    GROUP BY repo_id
    HAVING shared > 0
    ORDER BY shared DESC, name
    LIMIT {limit:UInt32}
)
