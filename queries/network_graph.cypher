// network_graph: What is a loaded network: its projects with OpenRank, niche and domain, its links, and the relations found on it?
// A named network loaded with `nichegraph load network` (the landscape report's 2025-05 network, a Gephi
// export, ...). Niches and relations appear once `nichegraph niches --network` / `relations --network`
// have run; they are stored under the key 'network:' + NAME. No row for an unknown network.
// Cost: whole network (a few hundred projects and links).
//
// Parameters:
// :param network => 'ant-2025'
//
// Columns:
//   network    the Network node's properties {name, kind, source, format, period, weightMeaning, nodes, edges, loadedAt}
//   nodes      {repo, openrank (the network's own figure), niche, nicheNumber, nicheLabel, stability, domain} per member
//   links      {source, target, weight (as loaded), sharedDevelopers} per NETWORK_LINK, the smaller name as source
//   relations  {type: upstream|competitor|peer, source, target, confidence, reason}; for upstream the source is upstream
MATCH (net:Network {name: $network})
WITH net, 'network:' + net.name AS scope
CALL (net, scope) {
  MATCH (r:Repo)-[m:IN_NETWORK]->(net)
  OPTIONAL MATCH (r)-[i:IN_NICHE]->(n:Niche {window: scope})
  WITH r, m, i, n ORDER BY r.name
  RETURN collect({repo: r.name, openrank: m.openrank, niche: n.id, nicheNumber: n.number, nicheLabel: n.label,
                  stability: i.stability, domain: r.domain}) AS nodes
}
CALL (net) {
  MATCH (a:Repo)-[l:NETWORK_LINK {network: net.name}]->(b:Repo)
  WITH a, l, b ORDER BY a.name, b.name
  RETURN collect({source: a.name, target: b.name, weight: l.weight, sharedDevelopers: l.sharedDevelopers}) AS links
}
CALL (scope) {
  OPTIONAL MATCH (a:Repo)-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: scope}]->(b:Repo)
  WITH a, x, b WHERE x IS NOT NULL
  RETURN collect({type: CASE type(x) WHEN 'UPSTREAM_OF' THEN 'upstream' WHEN 'COMPETES_WITH' THEN 'competitor'
                             ELSE 'peer' END,
                  source: a.name, target: b.name, confidence: x.confidence, reason: x.reason}) AS relations
}
RETURN net {.*} AS network, nodes, links, relations
