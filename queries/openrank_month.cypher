// openrank_month: Which repositories and developers had the highest computed OpenRank in a month?
// Cost: whole graph (developers keep their computed values in arrays, so this scans them).
// Values written by `nichegraph openrank` (computed from this graph, not OpenDigger's published
// figures); repositories also show the published value. `nichegraph openrank` reads the month before
// its window with this query (limit null = every row) to continue from it.
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
WITH current.slot AS slot
CALL (slot) {
  MATCH (m:RepoMonth {month: $month})
  WHERE m['openrankComputed' + slot] IS NOT NULL
  RETURN 'repo' AS kind, m.repo AS name, m['openrankComputed' + slot] AS computed, m.openrank AS published
  UNION ALL
  MATCH (d:Developer)
  WITH d, d['openrankMonths' + slot] AS months
  WHERE $month IN months
  WITH d, [i IN range(0, size(months) - 1) WHERE months[i] = $month][0] AS i
  RETURN 'developer' AS kind, d.key AS name, d['openrankComputed' + slot][i] AS computed, null AS published
}
WITH kind, name, computed, published
ORDER BY kind DESC, computed DESC, name
WITH kind, collect({name: name, computed: computed, published: published}) AS rows
UNWIND rows[..coalesce($limit, size(rows))] AS row
RETURN kind, row.name AS name, row.computed AS computed, row.published AS published
