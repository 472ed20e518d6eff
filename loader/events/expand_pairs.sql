-- expand_pairs: pairs of the given repositories with the number of active developers they share,
-- pairs with at least {min_shared} only (the report keeps 10).
-- Parameters: those of active_developers.sql, {members:Array(UInt64)} (repository ids),
-- {min_shared:UInt32}
SELECT a.repo_id AS source_id, b.repo_id AS target_id, count() AS shared
FROM active AS a
INNER JOIN active AS b ON a.actor_id = b.actor_id
WHERE a.repo_id IN {members:Array(UInt64)} AND b.repo_id IN {members:Array(UInt64)} AND a.repo_id < b.repo_id
GROUP BY source_id, target_id
HAVING shared >= {min_shared:UInt32}
ORDER BY shared DESC, source_id, target_id
