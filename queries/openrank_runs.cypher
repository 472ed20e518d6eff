// openrank_runs: When was OpenRank computed from this graph, for which months and with which parameters?
// One row per `nichegraph openrank` run, latest first. Its values are stored beside the published
// ones, in the slot (A, B or C) the run names: RepoMonth.openrankComputedA, Developer.openrankSeriesA
// (active months, values, activity in one array); readers read the `current` run's slot, and a new
// run writes the next slot in turn (the one left longest ago) before it becomes current.
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
//   current         whether readers read this run's values now
//   slot            A, B or C: the property names holding its values
MATCH (run:OpenRankRun)
RETURN run.id AS id, run.first AS first, run.last AS last, run.finishedAt AS finishedAt, run.seconds AS seconds,
       run.warmStart AS warmStart, run.paramDeveloperInit AS developerInit,
       run.paramActivityScale AS activityScale, run.paramTail AS tail, run.developersValued AS developerMonths,
       coalesce(run.current, false) AS current, run.slot AS slot
ORDER BY finishedAt DESC, id DESC
