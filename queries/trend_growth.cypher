// trend_growth: How fast did each project's OpenRank grow quarter over quarter?
// Cost: whole graph when no set is given (every project).
// Mean monthly OpenRank per calendar quarter (only quarters wholly inside the window; a month
// without a value counts as 0), the growth rate from each quarter to the next, their mean (the
// LLM landscape report compares vLLM's 17% a quarter with SGLang's 31%), and the compound rate
// (q_last / q_first)^(1 / (quarters - 1)) - 1. A rate after a quarter at 0 is undefined (null).
// Projects: `repos`, a niche, a landscape domain / layer / landscape, or all (see trend_curves).
//
// Parameters:
// :param repos => ['pytorch/pytorch', 'tensorflow/tensorflow']
// :param niche => null
// :param domain => null
// :param first => '2022-04'
// :param last => '2023-03'
// :param computed => false
//
// Columns:
//   repo            project name
//   meanGrowth      mean of the quarter-over-quarter growth rates (0.17 = 17% a quarter)
//   compoundGrowth  compound quarterly growth rate from the first to the last quarter
//   quarters        the whole quarters of the window, in order
//   quarterly       mean monthly OpenRank in each of those quarters
//   rates           growth rate into each quarter after the first (null after a 0)
//   source          published | computed
//   window          the window FIRST:LAST
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH 'openrankComputed' + current.slot AS computedKey,
     toInteger(left($first, 4)) * 12 + toInteger(right($first, 2)) - 1 AS firstIndex,
     toInteger(left($last, 4)) * 12 + toInteger(right($last, 2)) - 1 AS lastIndex
UNWIND range(firstIndex, lastIndex) AS index
WITH computedKey, toString(index / 12) + '-' + right('0' + toString(index % 12 + 1), 2) AS month
WITH computedKey, left(month, 4) + 'Q' + toString((toInteger(right(month, 2)) + 2) / 3) AS quarter,
     collect(month) AS months
WHERE size(months) = 3
WITH computedKey, quarter, months ORDER BY quarter
WITH computedKey, collect(quarter) AS quarters, collect(months) AS quarterMonths
MATCH (r:Repo)
WHERE CASE
  WHEN $niche IS NOT NULL THEN EXISTS { (r)-[:IN_NICHE]->(:Niche {id: $niche}) }
  WHEN $domain IS NOT NULL THEN EXISTS {
    (r)-[:IN_LANDSCAPE]->(e:LandscapeEntry) WHERE $domain IN [e.domain, e.layer, e.landscape] }
  WHEN size($repos) > 0 THEN r.name IN $repos
  ELSE true
END
CALL (r, quarterMonths, computedKey) {
  UNWIND range(0, size(quarterMonths) - 1) AS q
  OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
  WHERE m.month IN quarterMonths[q]
  WITH q, sum(coalesce(CASE WHEN $computed THEN m[computedKey] ELSE m.openrank END, 0)) / 3.0 AS mean
  ORDER BY q
  RETURN collect(mean) AS quarterly
}
WITH r, quarters, quarterly,
     [q IN range(1, size(quarterly) - 1) | CASE WHEN quarterly[q - 1] > 0 THEN quarterly[q] / quarterly[q - 1] - 1 END]
       AS rates
WITH r, quarters, quarterly, rates, [x IN rates WHERE x IS NOT NULL] AS defined
WHERE size(quarters) >= 2
RETURN r.name AS repo,
       CASE WHEN size(defined) > 0 THEN reduce(s = 0.0, x IN defined | s + x) / size(defined) END AS meanGrowth,
       CASE WHEN quarterly[0] > 0 AND last(quarterly) > 0
            THEN (last(quarterly) / quarterly[0]) ^ (1.0 / (size(quarterly) - 1)) - 1 END AS compoundGrowth,
       quarters, quarterly, rates,
       CASE WHEN $computed THEN 'computed' ELSE 'published' END AS source, $first + ':' + $last AS window
ORDER BY meanGrowth IS NULL, meanGrowth DESC, repo
