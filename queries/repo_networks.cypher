// repo_networks: Which loaded networks hold a project, with its niche there, its strongest links and the relations found for it?
// For the project page: every network loaded with `nichegraph load network` that lists the project
// (the landscape report's network, ...), with the project's OpenRank in it, its niche
// (`nichegraph niches --network`) and its five strongest links by the network's own weight.
//
// Parameters:
// :param repo => 'vllm-project/vllm'
//
// Columns:
//   network      the network's name
//   period       the period it describes, null when not stated
//   openrank     the project's OpenRank in the network file
//   niche        {niche, label, size} of its niche there, null if none (or not computed)
//   links        {other, weight, sharedDevelopers} its five strongest links
//   relations    {role: upstream|downstream|competitor|peer, other, confidence, reason} found on the network
MATCH (r:Repo {name: $repo})-[m:IN_NETWORK]->(net:Network)
WITH r, m, net, 'network:' + net.name AS scope
CALL (r, scope) {
  OPTIONAL MATCH (r)-[:IN_NICHE]->(n:Niche {window: scope})
  RETURN CASE WHEN n IS NULL THEN null ELSE {niche: n.id, label: n.label, size: n.size} END AS niche
}
CALL (r, net) {
  OPTIONAL MATCH (r)-[l:NETWORK_LINK {network: net.name}]-(o:Repo)
  WITH o, l ORDER BY l.weight DESC, o.name
  RETURN collect(CASE WHEN o IS NOT NULL THEN {other: o.name, weight: l.weight,
                                              sharedDevelopers: l.sharedDevelopers} END)[..5] AS links
}
CALL (r, scope) {
  OPTIONAL MATCH (r)-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: scope}]-(o:Repo)
  WITH x, o, startNode(x) = r AS outgoing ORDER BY x.confidence DESC, o.name
  RETURN collect(CASE WHEN x IS NOT NULL THEN {
           role: CASE WHEN type(x) = 'UPSTREAM_OF' AND outgoing THEN 'downstream'
                      WHEN type(x) = 'UPSTREAM_OF' THEN 'upstream'
                      WHEN type(x) = 'COMPETES_WITH' THEN 'competitor' ELSE 'peer' END,
           other: o.name, confidence: x.confidence, reason: x.reason} END) AS relations
}
RETURN net.name AS network, net.period AS period, m.openrank AS openrank, niche, links, relations
ORDER BY network
