// landscape_domains: Which hand-made landscape domains, layers and landscapes have projects in the graph?
// The values `nichegraph trends ... --domain` accepts, with the projects each groups (landscapes
// are loaded with `nichegraph load landscape FILE`). Entries of projects the graph does not hold
// are counted apart.
//
// Parameters: none
//
// Columns:
//   value     a domain, layer or landscape name
//   kind      domain | layer | landscape
//   repos     projects of the graph it groups
//   entries   landscape entries with that value (also those not in the graph)
//   members   the projects of the graph, by name
MATCH (e:LandscapeEntry)
UNWIND [['domain', e.domain], ['layer', e.layer], ['landscape', e.landscape]] AS pair
WITH pair[0] AS kind, pair[1] AS value, e
WHERE value IS NOT NULL
OPTIONAL MATCH (r:Repo)-[:IN_LANDSCAPE]->(e)
WITH kind, value, count(DISTINCT e) AS entries, collect(DISTINCT r.name) AS members
RETURN value, kind, size(members) AS repos, entries, members
ORDER BY kind, repos DESC, value
