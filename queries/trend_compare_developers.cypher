// trend_compare_developers: Who are a project's most influential developers by computed OpenRank, and what share do they hold?
// For each project, its developers (bots left out) ranked by the computed developer OpenRank
// they bring to it in the window: each month, a developer's OpenRank (computed by
// `nichegraph openrank`; OpenDigger publishes none for our data) split over the repositories they
// worked on that month in proportion to their squared activity score, as the OpenRank graph's
// developer-to-repository edges split it (the month's total is stored in the openrankSeries<slot> array).
// `share` is that amount over the sum for all the project's developers. Empty until
// `nichegraph openrank` has run. For an analysed window the ranking is read from the figures
// `nichegraph niches` / `openrank` store per project (RepoWindow, openrank*<slot>, written by the
// current run), when they hold `$limit` developers or all of them; else it is computed here.
//
// Parameters:
// :param repos => ['pytorch/pytorch', 'tensorflow/tensorflow']
// :param first => '2022-04'
// :param last => '2023-03'
// :param limit => 10
//
// Columns:
//   repo          project name
//   rank          1 = brings the most computed OpenRank to the project
//   login         developer login (display casing)
//   attributed    computed OpenRank the developer brings to the project, summed over the window's months
//   share         attributed / the sum over all the project's developers in the window
//   meanOpenrank  the developer's mean computed OpenRank over their active months in the project
//   activeMonths  months of the window the developer was active in the project
//   source        computed
//   window        the window FIRST:LAST
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH current.slot AS slot, current.id AS run
UNWIND $repos AS name
MATCH (r:Repo {name: name})
OPTIONAL MATCH (r)-[:HAS_WINDOW]->(w:RepoWindow {window: $first + ':' + $last})
WITH slot, name, r,
     CASE WHEN run IS NOT NULL AND w['openrankRun' + coalesce(slot, '')] = run
               AND (size(w['openrankTopLogins' + slot]) >= $limit
                    OR size(w['openrankTopLogins' + slot]) = w['openrankDevelopers' + slot])
          THEN w END AS stored
CALL (slot, r, stored) {
  WITH slot, r WHERE stored IS NULL
  MATCH (r)<-[c:CONTRIBUTED]-(d:Developer)
  WHERE $first <= c.month <= $last AND c.activity > 0
  // group by developer first: flags and the OpenRank arrays are then read once per developer,
  // not once per monthly edge
  WITH slot, d, collect({month: c.month, activity: c.activity}) AS contributions
  WHERE NOT d.isBot
  WITH d, contributions, d['openrankSeries' + slot] AS series
  WHERE series IS NOT NULL
  // the window's months of the current run's series (n active months as year * 12 + month - 1,
  // then their n values, then their activity: the developer's summed squared scores that month
  // over all repositories, stored by `nichegraph openrank` beside the value it splits)
  WITH d, contributions, series, size(series) / 3 AS n,
       [m IN [$first, $last] | toInteger(left(m, 4)) * 12 + toInteger(right(m, 2)) - 1] AS window
  WITH d, contributions,
       [i IN range(0, n - 1) WHERE window[0] <= series[i] <= window[1] AND series[2 * n + i] > 0
        | {month: toString(toInteger(series[i]) / 12) + '-' + right('0' + toString(toInteger(series[i]) % 12 + 1), 2),
           openrank: series[n + i], activity: series[2 * n + i]}] AS values
  UNWIND contributions AS c
  WITH d, c, [v IN values WHERE v.month = c.month][0] AS v
  WHERE v IS NOT NULL
  WITH d, sum(v.openrank * c.activity ^ 2 / v.activity) AS attributed, avg(v.openrank) AS meanOpenrank,
       count(c) AS activeMonths
  ORDER BY attributed DESC, d.key
  RETURN collect({login: d.login, attributed: attributed, meanOpenrank: meanOpenrank, activeMonths: activeMonths})
         AS computedDevelopers, sum(attributed) AS computedTotal
}
// each stored list read once (an index into a property reads the whole property again)
WITH name, stored, computedDevelopers, computedTotal, stored['openrankTopLogins' + slot] AS logins,
     stored['openrankTopAttributed' + slot] AS attributed, stored['openrankTopMean' + slot] AS mean,
     stored['openrankTopActiveMonths' + slot] AS months, stored['openrankTotal' + slot] AS storedTotal
WITH name, CASE WHEN stored IS NULL THEN computedDevelopers
                ELSE [i IN range(0, size(logins) - 1) |
                      {login: logins[i], attributed: attributed[i], meanOpenrank: mean[i], activeMonths: months[i]}]
           END AS developers,
     CASE WHEN stored IS NULL THEN computedTotal ELSE storedTotal END AS total
// number the top rows inside one list; then drop the list, or the sort below would hold a
// copy of it for every row
UNWIND [i IN range(0, size(developers[..$limit]) - 1) |
        {rank: i + 1, login: developers[i].login, attributed: developers[i].attributed,
         meanOpenrank: developers[i].meanOpenrank, activeMonths: developers[i].activeMonths}] AS dev
WITH name, dev, total
RETURN name AS repo, dev.rank AS rank, dev.login AS login, dev.attributed AS attributed,
       dev.attributed / total AS share, dev.meanOpenrank AS meanOpenrank, dev.activeMonths AS activeMonths,
       'computed' AS source, $first + ':' + $last AS window
ORDER BY repo, rank
