import Testing

/// The PostgreSQL tests that watch the server for a step's lock wait or hold a session's lock
/// or snapshot for a while (deadlocks, rollback under writers, wait reports): one at a time,
/// since a concurrent build waits for every older transaction on the server and autovacuum or a
/// neighbour's session would otherwise show up in what they watch.
@Suite(.serialized) enum PostgresTimingTests {}
