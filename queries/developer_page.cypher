// developer_page: Where did a developer work over time?
// Everything the explorer's developer page shows, in one query: the developer, each repository
// with the developer's totals there, and the monthly timeline. No row for an unknown login
// (logins are case-insensitive).
//
// Parameters:
// :param login => 'ezyang'
//
// Columns:
//   login         display login
//   isBot         whether the account is flagged as automation
//   repos         per repository: {repo, activity, activeMonths, firstMonth, lastMonth}, most active first
//   timeline      per month and repository: {month, repo, activity}
//   firstMonth    first active month anywhere
//   lastMonth     last active month anywhere
MATCH (d:Developer {key: toLower($login)})
CALL (d) {
  MATCH (d)-[c:CONTRIBUTED]->(r:Repo)
  WITH r, sum(c.activity) AS activity, count(c) AS activeMonths, min(c.month) AS firstMonth, max(c.month) AS lastMonth
  ORDER BY activity DESC, r.name
  RETURN collect({repo: r.name, activity: activity, activeMonths: activeMonths,
                  firstMonth: firstMonth, lastMonth: lastMonth}) AS repos
}
CALL (d) {
  MATCH (d)-[c:CONTRIBUTED]->(r:Repo)
  WITH c, r ORDER BY c.month, c.activity DESC
  RETURN collect({month: c.month, repo: r.name, activity: c.activity}) AS timeline,
         min(c.month) AS firstMonth, max(c.month) AS lastMonth
}
RETURN d.login AS login, d.isBot AS isBot, repos, timeline, firstMonth, lastMonth
