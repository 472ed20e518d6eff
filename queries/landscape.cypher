// landscape: What does the ecosystem look like in a window: its niches as groups of projects, each with its OpenRank and its trend?
// The automatic version of the hand-drawn landscape: every niche of the window with its members
// (mean monthly OpenRank in the window and in the window before it, of the same length), and the
// projects that belong to no niche. Empty niche list when `nichegraph niches` has not run for the window.
// Cost: whole graph (every project of the window).
//
// Parameters:
// :param window => '2022-04:2023-03'
// :param first => '2022-04'
// :param last => '2023-03'
// :param previousFirst => '2021-04'
// :param previousLast => '2022-03'
//
// Columns:
//   niches      {niche, number, label, size, stability, domain, domainShare, openrank, members:
//               [{repo, rank, openrank, previous, change}]} largest niche first; change = openrank / previous - 1
//   unassigned  {repo, openrank, previous, change} for projects in no niche of the window (hubs apart), by OpenRank
//   hubs        {repo, openrank, previous, change, reason} for the window's distribution hubs, by OpenRank
CALL () {
  MATCH (r:Repo)
  CALL (r) {
    OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE $previousFirst <= m.month <= $last
    RETURN avg(CASE WHEN m.month >= $first THEN m.openrank END) AS openrank,
           avg(CASE WHEN m.month <= $previousLast THEN m.openrank END) AS previous
  }
  OPTIONAL MATCH (r)-[i:IN_NICHE]->(n:Niche {window: $window})
  RETURN r, i, n, openrank, previous,
         CASE WHEN previous > 0 AND openrank IS NOT NULL THEN openrank / previous - 1 END AS change
}
WITH collect({r: r, i: i, n: n, openrank: openrank, previous: previous, change: change}) AS rows
CALL (rows) {
  UNWIND rows AS row
  WITH row WHERE row.n IS NOT NULL
  WITH row.n AS n, row ORDER BY row.i.rank
  WITH n, collect({repo: row.r.name, rank: row.i.rank, openrank: row.openrank, previous: row.previous,
                   change: row.change}) AS members, sum(row.openrank) AS openrank
  ORDER BY n.number
  RETURN collect({niche: n.id, number: n.number, label: n.label, size: n.size, stability: n.stability,
                  domain: n.domain, domainShare: n.domainShare, openrank: openrank, members: members}) AS niches
}
OPTIONAL MATCH (run:NicheRun {window: $window})
WITH rows, niches, coalesce(run.hubs, []) AS hubNames, coalesce(run.hubReasons, []) AS hubReasons
CALL (rows, hubNames) {
  UNWIND rows AS row
  WITH row WHERE row.n IS NULL AND NOT row.r.name IN hubNames
  WITH row ORDER BY row.openrank DESC
  RETURN collect({repo: row.r.name, openrank: row.openrank, previous: row.previous, change: row.change}) AS unassigned
}
CALL (rows, hubNames, hubReasons) {
  UNWIND rows AS row
  WITH row, [i IN range(0, size(hubNames) - 1) WHERE hubNames[i] = row.r.name | hubReasons[i]] AS reasons
  WITH row, reasons WHERE size(reasons) > 0
  WITH row, reasons ORDER BY row.openrank DESC
  RETURN collect({repo: row.r.name, openrank: row.openrank, previous: row.previous, change: row.change,
                  reason: reasons[0]}) AS hubs
}
RETURN niches, unassigned, hubs
