"""Graph analytics: the collaboration network, niches, relations, expansion, exports,
OpenRank and trends (docs/niches.md, docs/openrank.md, docs/trends.md)."""
