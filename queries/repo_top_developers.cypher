// repo_top_developers: Who contributed most to a repository in a time window?
// Developers ranked by the sum of their monthly activity scores in the window (OpenDigger's
// repository activity is the same sum over all developers). Bots are left out unless asked for.
//
// Parameters:
// :param repo => 'pytorch/pytorch'
// :param first => '2022-04'
// :param last => '2023-03'
// :param includeBots => false
// :param limit => 20
//
// Columns:
//   login         the developer's login (display casing)
//   activity      sum of the developer's monthly activity scores in the window
//   share         that sum over the sum of all listed developers (bots excluded unless included)
//   activeMonths  months of the window with any activity in the repository
//   firstMonth    first active month in the window
//   lastMonth     last active month in the window
//   isBot         whether the account is flagged as automation
MATCH (:Repo {name: $repo})<-[c:CONTRIBUTED]-(d:Developer)
WHERE $first <= c.month <= $last
WITH d, sum(c.activity) AS activity, count(c) AS activeMonths, min(c.month) AS firstMonth, max(c.month) AS lastMonth
// the bot flag read once per developer, not once per monthly edge
WHERE $includeBots OR NOT d.isBot
WITH collect({d: d, activity: activity, activeMonths: activeMonths, firstMonth: firstMonth, lastMonth: lastMonth})
     AS rows, sum(activity) AS total
UNWIND rows AS row
RETURN row.d.login AS login, row.activity AS activity, row.activity / total AS share,
       row.activeMonths AS activeMonths, row.firstMonth AS firstMonth, row.lastMonth AS lastMonth,
       row.d.isBot AS isBot
ORDER BY activity DESC, login
LIMIT $limit
