The `tandem` command: `tandem --help`, `tandem --version`, and `tandem db check [--database URL]`,
which connects to the database named by `--database`, else `TANDEM_DATABASE_URL`, else the
embedded default `sqlite:tandem.sqlite3`, and prints its dialect and server version. It exits
with 1 when the database cannot be reached and 2 when the URL is malformed or names an
unsupported database. `scripts/test` runs the whole test suite with a throwaway PostgreSQL.
