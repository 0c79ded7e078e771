`tandem status` reports leftovers of interrupted runs — INVALID indexes, NOT VALID constraints,
column syncs that are broken or that no migration declares, and statements of the migration
lock's holder still running on the server — and names the step each belongs to (`leftovers` in
`--json`). A kill-anywhere test kills `tandem migrate` with SIGKILL at random moments for every
operation kind, on SQLite and PostgreSQL, and checks that the rerun ends with the schema, column
syncs, triggers, ledger and data of an uninterrupted run; `scripts/kill-anywhere` runs it longer
and replays a printed seed. Expand steps (`rename_column`, `change_type`) converge too, through the per-operation progress record.
