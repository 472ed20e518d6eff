// data_version: Has the data changed: when were the last load, analyses, label sets and networks written?
// A cheap stamp of what the explorer shows, read by its page cache at most once a second: a
// different row means the data changed and cached pages are dropped. Counts by label and type
// come from Neo4j's count store; the run nodes are few.
//
// Parameters: none
//
// Columns:
//   nodes           nodes in the graph
//   relationships   relationships in the graph
//   loads           LoadRun nodes (one per `nichegraph load opendigger`)
//   lastLoad        when the latest load finished (or started, while it runs)
//   nicheRuns       NicheRun nodes (one per analysed window or network)
//   lastNiches      latest niche computation (NicheRun.computedAt)
//   lastRelations   latest relation computation (NicheRun.relationsComputedAt)
//   openrankRuns    OpenRankRun nodes
//   lastOpenrank    when the latest OpenRank run finished
//   lastLabels      when the latest label set was loaded
//   lastNetwork     when the latest network was loaded
//   landscapeLinks  IN_LANDSCAPE relationships (landscape files loaded)
//   lastMetadata    latest GitHub metadata fetch on any repository
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (l:LoadRun) RETURN count(l) AS loads, max(coalesce(l.finishedAt, l.startedAt)) AS lastLoad }
CALL () {
  MATCH (n:NicheRun)
  RETURN count(n) AS nicheRuns, max(n.computedAt) AS lastNiches, max(n.relationsComputedAt) AS lastRelations
}
CALL () { MATCH (o:OpenRankRun) RETURN count(o) AS openrankRuns, max(o.finishedAt) AS lastOpenrank }
CALL () { MATCH (s:LabelSet) RETURN max(s.loadedAt) AS lastLabels }
CALL () { MATCH (w:Network) RETURN max(w.loadedAt) AS lastNetwork }
CALL () { MATCH ()-[i:IN_LANDSCAPE]->() RETURN count(i) AS landscapeLinks }
CALL () { MATCH (r:Repo) WHERE r.metadataFetchedAt IS NOT NULL RETURN max(r.metadataFetchedAt) AS lastMetadata }
RETURN nodes, relationships, loads, lastLoad, nicheRuns, lastNiches, lastRelations, openrankRuns, lastOpenrank,
       lastLabels, lastNetwork, landscapeLinks, lastMetadata
