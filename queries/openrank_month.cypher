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
OPTIONAL MATCH (current:OpenRankRun {current: true})
// the current run's slot holds the values; its decay rule derives the inactive months, and it
// gives no value after the last month it holds
CALL (current) {
  WITH current.slot AS slot
  MATCH (m:RepoMonth {month: $month})
  WHERE m['openrankComputed' + slot] IS NOT NULL
  RETURN 'repo' AS kind, m.repo AS name, m['openrankComputed' + slot] AS computed, m.openrank AS published
  UNION ALL
  WITH current, current.slot AS slot
  MATCH (d:Developer)
  // the slot's series: n active months (year * 12 + month - 1), then their n values, then activity
  WITH current, d, d['openrankSeries' + slot] AS series,
       toInteger(left($month, 4)) * 12 + toInteger(right($month, 2)) - 1 AS at
  WHERE series[0] <= at AND $month <= coalesce(current.computedUntil, current.last)
  WITH current, d, series, at, size(series) / 3 AS n
  WITH current, d, series, at, n, [i IN range(0, n - 1) WHERE series[i] <= at][-1] AS i
  WITH current, d, series[n + i] AS last, at - toInteger(series[i]) AS gap
  WHERE gap = 0 OR last * current.paramAttenuation ^ (gap - 1) > current.paramMinValue
  RETURN 'developer' AS kind, d.key AS name, last * current.paramAttenuation ^ gap AS computed, null AS published
}
WITH kind, name, computed, published
ORDER BY kind DESC, computed DESC, name
WITH kind, collect({name: name, computed: computed, published: published}) AS rows
UNWIND rows[..coalesce($limit, size(rows))] AS row
RETURN kind, row.name AS name, row.computed AS computed, row.published AS published
