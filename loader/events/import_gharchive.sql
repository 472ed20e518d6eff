-- import_gharchive: GH Archive hourly files (one JSON event per line, gzip) -> rows of the events
-- table, one per event of the kinds activity and active developers count, plus one per line
-- whose shape is not such an event (`problem` says what is wrong; nothing is loaded then).
-- Only the fields read below are parsed; unknown fields are skipped.
-- Parameters: {database:Identifier}, {table:Identifier}, {path:String} (a file, folder glob or
-- list glob)
INSERT INTO {database:Identifier}.{table:Identifier}
SELECT
    'GitHub',
    ifNull(type, ''),
    ifNull(payload.action, ''),
    ifNull(actor.id, 0),
    ifNull(actor.login, ''),
    ifNull(repo.id, 0),
    ifNull(repo.name, ''),
    ifNull(event_time, toDateTime(0, 'UTC')),
    ifNull(multiIf(type = 'PullRequestEvent', payload.pull_request.id, payload.issue.id), 0),
    ifNull(multiIf(type = 'PullRequestEvent', payload.pull_request.user.id, payload.issue.user.id), 0),
    ifNull(multiIf(type = 'PullRequestEvent', payload.pull_request.user.login, payload.issue.user.login), ''),
    if(type = 'IssueCommentEvent', ifNull(payload.comment.id, 0), 0),
    if(type = 'PullRequestReviewCommentEvent', ifNull(payload.comment.id, 0), 0),
    ifNull(payload.pull_request.merged, false),
    problem,
    source_file,
    source_line
FROM
(
    SELECT
        *,
        _path AS source_file,
        _row_number + 1 AS source_line,
        parseDateTimeBestEffortOrNull(created_at, 'UTC') AS event_time,
        multiIf(
            type IS NULL, 'no "type": not a GitHub event',
            actor.id IS NULL OR actor.login IS NULL, 'no actor.id or actor.login',
            repo.id IS NULL OR repo.name IS NULL, 'no repo.id or repo.name',
            event_time IS NULL, 'created_at is missing or not a time',
            type = 'IssuesEvent' AND (payload.action IS NULL OR payload.issue.id IS NULL),
                'IssuesEvent without payload.action or payload.issue.id',
            type = 'IssueCommentEvent' AND (payload.action IS NULL OR payload.comment.id IS NULL),
                'IssueCommentEvent without payload.action or payload.comment.id',
            type = 'PullRequestEvent' AND (payload.action IS NULL OR payload.pull_request.id IS NULL),
                'PullRequestEvent without payload.action or payload.pull_request.id',
            type = 'PullRequestEvent' AND payload.action = 'closed' AND (payload.pull_request.merged IS NULL
                OR payload.pull_request.user.id IS NULL OR payload.pull_request.user.login IS NULL),
                'closed PullRequestEvent without pull_request.merged or pull_request.user',
            type = 'PullRequestReviewCommentEvent' AND (payload.action IS NULL OR payload.comment.id IS NULL),
                'PullRequestReviewCommentEvent without payload.action or payload.comment.id',
            ''
        ) AS problem
    FROM file(
        {path:String},
        'JSONEachRow',
        'type Nullable(String),
         actor Tuple(id Nullable(UInt64), login Nullable(String)),
         repo Tuple(id Nullable(UInt64), name Nullable(String)),
         created_at Nullable(String),
         payload Tuple(
             action Nullable(String),
             issue Tuple(id Nullable(UInt64), user Tuple(id Nullable(UInt64), login Nullable(String))),
             comment Tuple(id Nullable(UInt64)),
             pull_request Tuple(
                 id Nullable(UInt64),
                 merged Nullable(Bool),
                 user Tuple(id Nullable(UInt64), login Nullable(String))))'
    )
)
WHERE problem != ''
   OR (type IN ('IssuesEvent', 'IssueCommentEvent', 'PullRequestEvent', 'PullRequestReviewEvent',
                'PullRequestReviewCommentEvent'))
