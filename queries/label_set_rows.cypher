// label_set_rows: What does a label set say, row by row?
// Pair sets fill a, b and relation (upstream: a is upstream of b; same-job sets: competitor, with
// their collection); domain sets fill repo, label and source.
//
// Parameters:
// :param labelSet => 'judged_pairs'
//
// Columns:
//   line        the row's line in the file it was loaded from
//   a           first project of a pair
//   b           second project of a pair
//   relation    upstream | competitor | peer | unrelated
//   collection  the same-job collection, when the set is one
//   repo        the project of a domain label
//   label       the domain label
//   source      where a domain label comes from, when the file says
MATCH (:LabelSet {name: $labelSet})-[:HAS_LABEL]->(l:Label)
RETURN l.line AS line, l.a AS a, l.b AS b, l.relation AS relation, l.collection AS collection,
       l.repo AS repo, l.label AS label, l.source AS source
ORDER BY line
