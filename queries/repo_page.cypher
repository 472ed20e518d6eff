// repo_page: What does one repository look like: its series, its window figures and its top developers?
// Everything the explorer's project page shows except the relations (relations_of_repo), in
// one query: the repository, its GitHub metadata, every month of its published series (and
// computed OpenRank when present), its landscape entries, its niche in the window, and its top
// developers in the window (bots left out). Returns no row for an unknown repository.
//
// Parameters:
// :param repo => 'pytorch/pytorch'
// :param window => '2022-04:2023-03'
// :param first => '2022-04'
// :param last => '2023-03'
// :param limit => 15
//
// Columns:
//   repo           repository name
//   owner          its owner
//   domain         hand-made landscape domain, if any
//   domainLayer    the landscape layer of that domain
//   metadata       GitHub metadata from `nichegraph load github` (null values where not loaded): {description,
//                  language, topics, license, archived, createdAt, homepage, metadataSource, metadataProvenance,
//                  metadataFetchedAt}
//   months         every month: {month, openrank, openrankComputed, activity, stars, participants, busFactor}
//   landscape      landscape entries: {landscape, domain, layer, subdomain, status}
//   meanOpenrank   mean published monthly OpenRank in the window
//   activity       sum of published monthly activity in the window
//   stars          new stars in the window
//   developers     developers (bots excluded) active in the window
//   topDevelopers  top developers in the window: {login, activity, share, activeMonths}
//   niche          its niche in the window: {niche, label, size, stability, rank, nicheStability}, null if none
//   developerData  whether the graph holds any developer contributions for it (false for a project known
//                  only from a landscape, a loaded network or an OpenRank series)
//   series         the landscape series files its OpenRank months come from, if any
//   role           {role: 'hub', reason} when it is a distribution hub in the window (in no niche), else null
MATCH (r:Repo {name: $repo})
CALL (r) {
  MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
  WITH m ORDER BY m.month
  RETURN collect({month: m.month, openrank: m.openrank, openrankComputed: m.openrankComputed,
                  activity: m.activity, stars: m.stars, participants: m.participants,
                  busFactor: m.busFactor}) AS months,
         avg(CASE WHEN $first <= m.month <= $last THEN m.openrank END) AS meanOpenrank,
         sum(CASE WHEN $first <= m.month <= $last THEN m.activity ELSE 0 END) AS activity,
         sum(CASE WHEN $first <= m.month <= $last THEN m.stars ELSE 0 END) AS stars,
         [source IN collect(DISTINCT m.series) WHERE source IS NOT NULL] AS series
}
CALL (r) {
  OPTIONAL MATCH (r)-[:IN_LANDSCAPE]->(e:LandscapeEntry)
  WITH e ORDER BY e.landscape
  RETURN collect(CASE WHEN e IS NOT NULL THEN {landscape: e.landscape, domain: e.domain, layer: e.layer,
                                               subdomain: e.subdomain, status: e.status} END) AS landscape
}
CALL (r) {
  OPTIONAL MATCH (r)<-[c:CONTRIBUTED]-(d:Developer)
  WHERE $first <= c.month <= $last
  WITH d, sum(c.activity) AS activity, count(c) AS activeMonths
  // the bot flag read once per developer, not once per monthly edge
  WHERE NOT d.isBot
  ORDER BY activity DESC, d.login
  WITH collect(CASE WHEN d IS NOT NULL THEN {login: d.login, activity: activity, activeMonths: activeMonths} END)
       AS ranked, sum(activity) AS total
  RETURN [row IN ranked[..$limit] | row {.*, share: row.activity / total}] AS topDevelopers,
         size(ranked) AS developers
}
CALL (r) {
  OPTIONAL MATCH (r)-[i:IN_NICHE]->(n:Niche {window: $window})
  RETURN CASE WHEN n IS NULL THEN null
              ELSE {niche: n.id, label: n.label, size: n.size, stability: i.stability, rank: i.rank,
                    nicheStability: n.stability} END AS niche
}
CALL (r) {
  OPTIONAL MATCH (run:NicheRun {window: $window})
  WITH [i IN range(0, coalesce(size(run.hubs), 0) - 1) WHERE run.hubs[i] = r.name | run.hubReasons[i]] AS reasons
  RETURN CASE WHEN size(reasons) > 0 THEN {role: 'hub', reason: reasons[0]} END AS role
}
RETURN r.name AS repo, r.owner AS owner, r.domain AS domain, r.domainLayer AS domainLayer,
       r {.description, .language, .topics, .license, .archived, .createdAt, .homepage,
          .metadataSource, .metadataProvenance, .metadataFetchedAt} AS metadata,
       months, landscape, meanOpenrank, activity, stars, developers, topDevelopers, niche,
       EXISTS { (r)<-[:CONTRIBUTED]-() } AS developerData, series, role
