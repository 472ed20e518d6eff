-- repo_names: the latest name of each of the given repositories, over all the events (not only
-- the months asked for), so a repository keeps one name whatever window is loaded.
-- Parameters: {ids:Array(UInt64)}
SELECT repo_id, argMax(repo_name, created_at) AS name
FROM events
WHERE repo_id IN {ids:Array(UInt64)}
GROUP BY repo_id
