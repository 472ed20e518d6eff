// stats: How much is loaded: repositories, developers (bots among them), monthly contributions, months covered, last load?
// One row. `nichegraph stats` prints it; the web home page shows it as headline numbers.
//
// Parameters: none
//
// Columns:
//   repos          repositories with OpenDigger data (:Repo nodes)
//   developers     developers, bots included (:Developer nodes, keyed case-insensitively)
//   bots           developers flagged isBot
//   contributions  monthly contribution edges (developer, repo, month) = :CONTRIBUTED relationships
//   firstMonth     first month with any repository data (YYYY-MM)
//   lastMonth      last month with any repository data
//   months         number of distinct months with data
//   lastLoadAt     when the last completed load finished (null if none finished)
//   lastLoadStatus ok | partial | failed for that load
//   lastLoadSource where that load read from
CALL () { MATCH (r:Repo) RETURN count(r) AS repos }
CALL () { MATCH (d:Developer) RETURN count(d) AS developers }
CALL () { MATCH (d:Developer) WHERE d.isBot = true RETURN count(d) AS bots }
CALL () { MATCH ()-[c:CONTRIBUTED]->() RETURN count(c) AS contributions }
CALL () {
  MATCH (m:RepoMonth)
  RETURN min(m.month) AS firstMonth, max(m.month) AS lastMonth, count(DISTINCT m.month) AS months
}
CALL () {
  OPTIONAL MATCH (l:LoadRun) WHERE l.finishedAt IS NOT NULL
  WITH l ORDER BY l.finishedAt DESC LIMIT 1
  RETURN l.finishedAt AS lastLoadAt, l.status AS lastLoadStatus, l.source AS lastLoadSource
}
RETURN repos, developers, bots, contributions, firstMonth, lastMonth, months,
       toString(lastLoadAt) AS lastLoadAt, lastLoadStatus, lastLoadSource
