// developer_timeline: Where did a developer work, month by month?
// One row per (month, repository) with activity: the data behind a timeline of the developer's work.
//
// Parameters:
// :param login => 'ezyang'
// :param first => '2015-01'
// :param last => '2023-03'
//
// Columns:
//   month     YYYY-MM
//   repo      repository name
//   activity  the developer's activity score in that repository that month
MATCH (:Developer {key: toLower($login)})-[c:CONTRIBUTED]->(r:Repo)
WHERE $first <= c.month <= $last
RETURN c.month AS month, r.name AS repo, c.activity AS activity
ORDER BY month, activity DESC
