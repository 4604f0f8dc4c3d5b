//! Migrations and what follows them at start-up: the bundled reference data and the statistics
//! counters keyed by months of programme time. Apart from the connection, so that the modules it
//! seeds (which use the connection) do not make a cycle with it.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::programme_time::Rekeying;
use super::{Database, DbConnection, DbError, write_transaction};
use crate::domain::time::Tz;

const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Any key will do as long as every instance uses the same one: it serialises concurrent `migrate`s.
const MIGRATION_LOCK_KEY: i64 = 0x4541_4d49_4752;

impl Database {
    /// Applies pending migrations (see [`migrate`]), with statistics months in programme time
    /// `tz`; from then on the database serves calls.
    pub async fn migrate(&self, tz: Tz, rekeying: Rekeying) -> Result<(), DbError> {
        self.open_with(move |conn| migrate(conn, tz, rekeying))
            .await
    }
}

/// Applies pending migrations, loads the bundled reference data, and keys the statistics
/// counters by months of programme time `tz` (see [`Rekeying`]). Safe to run from several
/// instances at once: PostgreSQL serialises them with an advisory lock (and the re-keying with
/// table locks), SQLite with its write lock.
pub fn migrate(conn: &mut DbConnection, tz: Tz, rekeying: Rekeying) -> Result<(), DbError> {
    let up_to_date = match conn {
        DbConnection::Postgres(pg) => all_applied(pg),
        DbConnection::Sqlite(_) => false,
    };
    let migrated = match conn {
        _ if up_to_date => Ok(()),
        DbConnection::Postgres(pg) => {
            pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
            let result = pg.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))?;
            result
        }
        DbConnection::Sqlite(lite) => lite.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
    };
    migrated.map_err(|e| DbError::Migration(e.to_string()))?;
    write_transaction(conn, super::regions::seed_if_empty)?;
    let years = write_transaction(conn, super::calendar::seed_bundled)?;
    if years > 0 {
        tracing::info!(years, "loaded the bundled working-day calendar");
    }
    if let Some(done) = super::programme_time::key_in_programme_time(conn, tz, rekeying)? {
        tracing::info!(
            from = %done.from,
            to = tz.name(),
            tickets_moved = done.tickets_moved,
            keys = done.keys,
            "statistics counters rebuilt from the tickets (months of programme time, this version's counts)"
        );
    }
    Ok(())
}

/// Whether PostgreSQL has every embedded migration recorded, read without creating anything:
/// the harness's own check first creates its table if missing, which an application role
/// without rights on the schema may not do (RELIABILITY.md), even when nothing is pending.
fn all_applied(pg: &mut diesel::PgConnection) -> bool {
    use diesel::migration::MigrationSource;

    #[derive(QueryableByName)]
    struct Applied {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let Ok(applied) =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations").load::<Applied>(pg)
    else {
        return false;
    };
    let Ok(embedded) = MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS) else {
        return false;
    };
    embedded.iter().all(|m| {
        let version = m.name().version().to_string();
        applied.iter().any(|a| a.version == version)
    })
}
