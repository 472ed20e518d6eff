"""GitHub events (GH Archive files or a ClickHouse server) -> OpenDigger's activity and the
report's landscape expansion, in SQL that runs unchanged on embedded ClickHouse (chdb) and on a
ClickHouse server. See docs/events.md."""
