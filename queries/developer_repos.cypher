// developer_repos: Which repositories did a developer work on in a time window?
// Logins are case-insensitive: 'EZyang' finds ezyang.
//
// Parameters:
// :param login => 'ezyang'
// :param first => '2015-01'
// :param last => '2023-03'
//
// Columns:
//   repo          repository name (owner/repo)
//   activity      sum of the developer's monthly activity scores there in the window
//   activeMonths  months with any activity there in the window
//   firstMonth    first active month there in the window
//   lastMonth     last active month there in the window
MATCH (:Developer {key: toLower($login)})-[c:CONTRIBUTED]->(r:Repo)
WHERE $first <= c.month <= $last
RETURN r.name AS repo, sum(c.activity) AS activity, count(c) AS activeMonths,
       min(c.month) AS firstMonth, max(c.month) AS lastMonth
ORDER BY activity DESC, repo
