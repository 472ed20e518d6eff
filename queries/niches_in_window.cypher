// niches_in_window: Which niches were found in a window, how big and how stable are they?
// One row per niche, largest first; members are listed by centrality.
//
// Parameters:
// :param window => '2022-04:2023-03'
//
// Columns:
//   niche          niche id (window/most-central-project)
//   number         1 = the largest niche of the window
//   label          most central projects, and the dominant landscape domain with its share when loaded
//   size           members
//   stability      mean member stability (1 = every run agrees)
//   domain         dominant hand-made landscape domain among labelled members (null if none labelled)
//   domainShare    share of labelled members with that domain
//   members        members, most central first
MATCH (n:Niche {window: $window})
RETURN n.id AS niche, n.number AS number, n.label AS label, n.size AS size, n.stability AS stability,
       n.domain AS domain, n.domainShare AS domainShare, n.members AS members
ORDER BY number
