"""OpenRank computed from the contribution graph (docs/openrank.md): the method (`method`),
reading the graph (`graph`), storing the values (`storage`) and a whole run (`run`)."""
