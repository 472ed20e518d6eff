// trend_ranks: How did the projects of a set rank by OpenRank year by year (or quarter by quarter), and who moved?
// Cost: whole graph when no set is given (every project).
// The data behind a bump chart: per period, projects ranked by mean monthly OpenRank over the
// period's months inside the window (a month without a value counts as 0; projects with no
// OpenRank in a period are not ranked in it). Every period of each project that reaches the top
// `top` in at least one period. `move` is how many places it rose since the previous period.
// Projects: `repos`, a niche, a landscape domain / layer / landscape, or all (see trend_curves).
//
// Parameters:
// :param repos => []
// :param niche => null
// :param domain => null
// :param first => '2019-01'
// :param last => '2022-12'
// :param period => 'year'
// :param top => 10
// :param computed => false
//
// Columns:
//   period        2022 (year) or 2022Q3 (quarter)
//   repo          project name
//   rank          1 = highest mean OpenRank in the period, among the set
//   previousRank  rank in the previous period (null if not ranked then)
//   move          previousRank - rank: places gained (negative: lost)
//   meanOpenrank  mean monthly OpenRank over the period's months in the window
//   months        months of the period inside the window
//   source        published | computed
//   window        the window FIRST:LAST
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH 'openrankComputed' + current.slot AS computedKey,
     toInteger(left($first, 4)) * 12 + toInteger(right($first, 2)) - 1 AS firstIndex,
     toInteger(left($last, 4)) * 12 + toInteger(right($last, 2)) - 1 AS lastIndex
UNWIND range(firstIndex, lastIndex) AS index
WITH computedKey, toString(index / 12) + '-' + right('0' + toString(index % 12 + 1), 2) AS month
WITH computedKey, month, CASE WHEN $period = 'quarter'
                 THEN left(month, 4) + 'Q' + toString((toInteger(right(month, 2)) + 2) / 3)
                 ELSE left(month, 4) END AS period
WITH computedKey, period, collect(month) AS periodMonths
MATCH (r:Repo)
WHERE CASE
  WHEN $niche IS NOT NULL THEN EXISTS { (r)-[:IN_NICHE]->(:Niche {id: $niche}) }
  WHEN $domain IS NOT NULL THEN EXISTS {
    (r)-[:IN_LANDSCAPE]->(e:LandscapeEntry) WHERE $domain IN [e.domain, e.layer, e.landscape] }
  WHEN size($repos) > 0 THEN r.name IN $repos
  ELSE true
END
OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
WHERE m.month IN periodMonths
WITH period, size(periodMonths) AS months, r,
     sum(coalesce(CASE WHEN $computed THEN m[computedKey] ELSE m.openrank END, 0)) AS total
WITH period, months, r, total / months AS meanOpenrank
WHERE meanOpenrank > 0
ORDER BY period, meanOpenrank DESC, r.name
WITH period, months, collect({repo: r.name, meanOpenrank: meanOpenrank}) AS ranked
UNWIND range(0, size(ranked) - 1) AS i
WITH period, months, ranked[i].repo AS repo, ranked[i].meanOpenrank AS meanOpenrank, i + 1 AS rank
ORDER BY repo, period
WITH repo, collect({period: period, months: months, meanOpenrank: meanOpenrank, rank: rank}) AS history
WHERE any(h IN history WHERE h.rank <= $top)
UNWIND range(0, size(history) - 1) AS j
WITH repo, history[j] AS h, CASE WHEN j > 0 THEN history[j - 1] END AS before
// the previous period must be the one just before, not merely an earlier one the project was ranked in
WITH repo, h, before,
     CASE WHEN $period = 'quarter'
          THEN toInteger(left(h.period, 4)) * 4 + toInteger(right(h.period, 1))
          ELSE toInteger(h.period) END AS periodIndex,
     CASE WHEN before IS NULL THEN null
          WHEN $period = 'quarter' THEN toInteger(left(before.period, 4)) * 4 + toInteger(right(before.period, 1))
          ELSE toInteger(before.period) END AS beforeIndex
WITH repo, h, CASE WHEN beforeIndex = periodIndex - 1 THEN before.rank END AS previousRank
RETURN h.period AS period, repo, h.rank AS rank, previousRank, previousRank - h.rank AS move,
       h.meanOpenrank AS meanOpenrank, h.months AS months,
       CASE WHEN $computed THEN 'computed' ELSE 'published' END AS source, $first + ':' + $last AS window
ORDER BY period, rank
