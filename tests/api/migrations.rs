//! Every migration reverts and runs again cleanly, on both backends: each `down.sql` undoes
//! all its `up.sql` made (nothing is left, so running `up.sql` again finds nothing in its way),
//! and the schema built the second time is the one built the first time.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::postgres::TestPostgres;

const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(QueryableByName, Debug, PartialEq, Eq)]
struct SchemaLine {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Runs every migration up, all down again (newest first), and all up once more: the schema
/// after the first and the second run, and what the revert left.
macro_rules! up_down_up {
    ($conn:expr, $backend:ty, $migrations:expr, $schema_sql:expr) => {{
        let count = MigrationSource::<$backend>::migrations(&$migrations)
            .unwrap()
            .len();
        let conn = $conn;
        assert_eq!(
            conn.run_pending_migrations($migrations).unwrap().len(),
            count
        );
        let first = diesel::sql_query($schema_sql)
            .load::<SchemaLine>(conn)
            .unwrap();
        assert_eq!(
            conn.revert_all_migrations($migrations).unwrap().len(),
            count
        );
        let left = diesel::sql_query($schema_sql)
            .load::<SchemaLine>(conn)
            .unwrap();
        assert_eq!(
            conn.run_pending_migrations($migrations).unwrap().len(),
            count
        );
        let second = diesel::sql_query($schema_sql)
            .load::<SchemaLine>(conn)
            .unwrap();
        [first, left, second]
    }};
}

fn assert_clean([first, left, second]: [Vec<SchemaLine>; 3]) {
    assert!(!first.is_empty());
    let left: Vec<&str> = left.iter().map(|l| l.line.as_str()).collect();
    assert!(left.is_empty(), "the down migrations left {left:?}");
    assert_eq!(
        first, second,
        "running the migrations again built another schema"
    );
}

/// Every table, column, index and trigger but diesel's own bookkeeping.
const SQLITE_SCHEMA: &str = "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') AS line \
     FROM sqlite_master WHERE name NOT LIKE '%diesel_schema_migrations%' \
     AND name NOT LIKE 'sqlite_%' ORDER BY type, name";

/// Every table's columns, every index, view, sequence and function of the public schema but
/// diesel's own bookkeeping.
const POSTGRES_SCHEMA: &str = "SELECT line FROM ( \
     SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' \
         || COALESCE(column_default, '') AS line \
       FROM information_schema.columns WHERE table_schema = 'public' \
     UNION ALL SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes \
       WHERE schemaname = 'public' \
     UNION ALL SELECT 'constraint ' || conname || ': ' || pg_get_constraintdef(oid) \
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace \
     UNION ALL SELECT 'sequence ' || sequence_name FROM information_schema.sequences \
       WHERE sequence_schema = 'public' \
     UNION ALL SELECT 'function ' || proname FROM pg_proc \
       WHERE pronamespace = 'public'::regnamespace \
   ) AS schema WHERE line NOT LIKE '%diesel_schema_migrations%' ORDER BY line";

#[test]
fn sqlite_migrations_revert_and_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("migrations.db");
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    // As the application opens every connection: down migrations must respect the keys.
    conn.batch_execute("PRAGMA foreign_keys = ON").unwrap();
    assert_clean(up_down_up!(
        &mut conn,
        diesel::sqlite::Sqlite,
        SQLITE,
        SQLITE_SCHEMA
    ));
}

#[test]
fn postgres_migrations_revert_and_run_again() {
    let database = TestPostgres::create();
    let mut conn = PgConnection::establish(&database.url).unwrap();
    assert_clean(up_down_up!(
        &mut conn,
        diesel::pg::Pg,
        POSTGRES,
        POSTGRES_SCHEMA
    ));
}

#[derive(QueryableByName, Debug, PartialEq, Eq)]
struct Clocks {
    #[diesel(sql_type = Text)]
    normal_accept: String,
    #[diesel(sql_type = Text)]
    normal_resolve: String,
    #[diesel(sql_type = Text)]
    urgent_accept: String,
    #[diesel(sql_type = Text)]
    urgent_resolve: String,
}

/// The clocks migration, run on categories as part 1 left them: one an administrator set to
/// other hours, one still on part 1's defaults.
macro_rules! clocks_from_part_one_hours {
    ($conn:expr, $migrations:expr) => {{
        let conn = $conn;
        conn.run_pending_migrations($migrations).unwrap();
        // Back to just before the clocks (and whatever came after them).
        while conn.revert_last_migration($migrations).unwrap().to_string() != "20261203001502" {}
        diesel::sql_query(
            "UPDATE categories SET normal_resolution_hours = 100, urgent_response_hours = 2 \
             WHERE code = 'legal'",
        )
        .execute(conn)
        .unwrap();
        conn.run_pending_migrations($migrations).unwrap();
        let mut read = |code: &str| {
            diesel::sql_query(format!(
                "SELECT normal_accept, normal_resolve, urgent_accept, urgent_resolve \
                 FROM categories WHERE code = '{code}'"
            ))
            .get_result::<Clocks>(conn)
            .unwrap()
        };
        let chosen = Clocks {
            normal_accept: "1 working_days".into(),
            normal_resolve: "100 hours".into(),
            urgent_accept: "2 hours".into(),
            urgent_resolve: "3 working_days".into(),
        };
        let defaults = Clocks {
            normal_accept: "1 working_days".into(),
            normal_resolve: "15 working_days".into(),
            urgent_accept: "4 working_hours".into(),
            urgent_resolve: "3 working_days".into(),
        };
        (read("legal"), chosen, read("land"), defaults)
    }};
}

#[test]
fn the_clocks_migration_keeps_chosen_hours_and_moves_defaults_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clocks.db");
    let mut lite = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    lite.batch_execute("PRAGMA foreign_keys = ON").unwrap();
    let (legal, chosen, land, defaults) = clocks_from_part_one_hours!(&mut lite, SQLITE);
    assert_eq!(legal, chosen);
    assert_eq!(land, defaults);
    let database = TestPostgres::create();
    let mut pg = PgConnection::establish(&database.url).unwrap();
    let (legal, chosen, land, defaults) = clocks_from_part_one_hours!(&mut pg, POSTGRES);
    assert_eq!(legal, chosen);
    assert_eq!(land, defaults);
}
