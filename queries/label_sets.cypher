// label_sets: Which label sets are loaded for measuring the verdicts?
// Written by `nichegraph load labels FILE`; the explorer's evaluation page compares them with the
// stored relations and niches (docs/evaluation.md). Labels are never read by the analyses.
//
// Parameters: none
//
// Columns:
//   name      the set's name (the file name without .csv unless --name was given)
//   kind      pairs (a,b,relation) | same-job (a,b,collection) | domains (repo,label)
//   file      the file it was loaded from
//   rows      labels in the set
//   loadedAt  when it was loaded (UTC)
MATCH (s:LabelSet)
RETURN s.name AS name, s.kind AS kind, s.file AS file, s.rows AS rows, s.loadedAt AS loadedAt
ORDER BY name
