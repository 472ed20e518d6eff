// developers_bridging_niches: Which developers bridge two niches by working in both?
// Developers (bots left out) active in the niches' window in members of both niches, with their
// activity on each side and the projects they connect, the strongest bridges first (ranked by
// the smaller of their two sides: a bridge works substantially in both). Both niches must come
// from the same window (a niche id starts with it).
//
// Parameters:
// :param a => '2022-04:2023-03/pytorch/pytorch'
// :param b => '2022-04:2023-03/JuliaRegistries/General'
// :param limit => 25
//
// Columns:
//   login      the developer
//   activityA  their activity in niche a's members in the window
//   activityB  their activity in niche b's members in the window
//   reposA     the members of niche a they worked on
//   reposB     the members of niche b they worked on
MATCH (na:Niche {id: $a}), (nb:Niche {id: $b})
WHERE na.window = nb.window AND na <> nb
WITH na, nb, split(na.window, ':') AS window
MATCH (ra:Repo)-[:IN_NICHE]->(na)
MATCH (ra)<-[ca:CONTRIBUTED]-(d:Developer)
WHERE window[0] <= ca.month <= window[1]
WITH nb, window, d, sum(ca.activity) AS activityA, collect(DISTINCT ra.name) AS reposA
// the bot flag read once per developer, not once per monthly edge
WHERE NOT d.isBot
MATCH (d)-[cb:CONTRIBUTED]->(rb:Repo)-[:IN_NICHE]->(nb)
WHERE window[0] <= cb.month <= window[1]
WITH d, activityA, reposA, sum(cb.activity) AS activityB, collect(DISTINCT rb.name) AS reposB
RETURN d.login AS login, activityA, activityB, reposA, reposB
ORDER BY CASE WHEN activityA < activityB THEN activityA ELSE activityB END DESC, login
LIMIT $limit
