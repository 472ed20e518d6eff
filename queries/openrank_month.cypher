// openrank_month: Which repositories and developers had the highest computed OpenRank in a month?
// Cost: whole graph (developers keep their computed values in arrays, so this scans them).
// Values written by `nichegraph openrank` (computed from this graph, not OpenDigger's published
// figures); repositories also show the published value. Developers store the months they were
// active; in a month without activity a developer's value is its last active value x the run's
// attenuation per month, kept while last month's value was above the run's minimum (the method's
// rule, docs/openrank.md). `nichegraph openrank` reads the month before its window with this query
// (limit null = every row) to continue from it.
//
// Parameters:
// :param month => '2023-03'
// :param limit => 20
//
// Columns:
//   kind       repo or developer
//   name       repository name or developer key (lower-cased login)
//   computed   OpenRank computed by nichegraph for that month
//   published  OpenDigger's published OpenRank (repositories only; null for developers)
CALL () {
  MATCH (m:RepoMonth {month: $month})
  WHERE m.openrankComputed IS NOT NULL
  RETURN 'repo' AS kind, m.repo AS name, m.openrankComputed AS computed, m.openrank AS published
  UNION ALL
  // no value after the last month any run computed
  CALL () { MATCH (r:OpenRankRun) RETURN max(r.last) AS computedUntil }
  MATCH (d:Developer)
  WHERE d.openrankMonths[0] <= $month <= computedUntil
  // the decay rule of the run that wrote the developer's values, read once per run
  WITH d.openrankRun AS runId, collect(d) AS developers
  MATCH (run:OpenRankRun {id: runId})
  UNWIND developers AS d
  WITH d, run, [i IN range(0, size(d.openrankMonths) - 1) WHERE d.openrankMonths[i] <= $month][-1] AS i
  WITH d, run, d.openrankComputed[i] AS last,
       toInteger(left($month, 4)) * 12 + toInteger(right($month, 2))
       - toInteger(left(d.openrankMonths[i], 4)) * 12 - toInteger(right(d.openrankMonths[i], 2)) AS gap
  WHERE gap = 0 OR last * run.paramAttenuation ^ (gap - 1) > run.paramMinValue
  RETURN 'developer' AS kind, d.key AS name, last * run.paramAttenuation ^ gap AS computed, null AS published
}
WITH kind, name, computed, published
ORDER BY kind DESC, computed DESC, name
WITH kind, collect({name: name, computed: computed, published: published}) AS rows
UNWIND rows[..coalesce($limit, size(rows))] AS row
RETURN kind, row.name AS name, row.computed AS computed, row.published AS published
