// openrank_runs: When was OpenRank computed from this graph, for which months and with which parameters?
// One row per `nichegraph openrank` run, latest first. Its values are stored beside the published
// ones (RepoMonth.openrankComputed; Developer.openrankMonths / openrankComputed); a later run over
// the same months replaces them.
//
// Parameters: none
//
// Columns:
//   id              run id (start time and window)
//   first           first month computed
//   last            last month computed
//   finishedAt      when the run finished (local time of the machine that ran it)
//   seconds         how long it took
//   warmStart       whether it continued from stored values of the month before
//   developerInit   start rule: legacy (new nodes start at 1), sigmoid or log (developers gain from activity)
//   activityScale   factor from squared score to the sigmoid's activity units
//   tail            whether unlisted developers were stood in for
//   developerMonths developer values written
MATCH (run:OpenRankRun)
RETURN run.id AS id, run.first AS first, run.last AS last, run.finishedAt AS finishedAt, run.seconds AS seconds,
       run.warmStart AS warmStart, run.paramDeveloperInit AS developerInit,
       run.paramActivityScale AS activityScale, run.paramTail AS tail, run.developersValued AS developerMonths
ORDER BY finishedAt DESC, id DESC
