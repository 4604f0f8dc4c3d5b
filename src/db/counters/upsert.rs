//! Adding to counter rows: `INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`, many rows
//! in one statement on either backend. Written by hand because diesel prepares an upsert anew
//! for every execution (it never caches one), and a counter upsert runs with every ticket
//! change: parsing it each time cost SQLite about half of a filing.

use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{HasSqlType, Integer, Text};

use crate::db::{DbConnection, DbError};

/// A counter table: its key columns (text, then whole numbers) and the counts added up.
pub struct CounterTable {
    pub name: &'static str,
    pub text_keys: &'static [&'static str],
    pub number_keys: &'static [&'static str],
    pub counts: &'static [&'static str],
}

impl CounterTable {
    fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.text_keys.iter().chain(self.number_keys).copied()
    }

    /// Every column, keys first, as a row to add lists them.
    pub fn columns(&self) -> String {
        let columns: Vec<&str> = self.keys().chain(self.counts.iter().copied()).collect();
        columns.join(", ")
    }

    /// `ON CONFLICT (keys) DO UPDATE SET` every count to itself plus the row's.
    pub fn on_conflict_add(&self) -> String {
        let keys: Vec<&str> = self.keys().collect();
        let sums: Vec<String> = self
            .counts
            .iter()
            .map(|c| format!("{c} = {table}.{c} + excluded.{c}", table = self.name))
            .collect();
        format!(
            "ON CONFLICT ({}) DO UPDATE SET {}",
            keys.join(", "),
            sums.join(", ")
        )
    }
}

/// One row to add: its key values in the table's order, then its counts.
pub struct Addition<'a> {
    pub texts: Vec<&'a str>,
    pub numbers: &'a [i32],
}

/// Adds `rows` to `table` in one statement, inserting the keys that do not exist yet. Rows are
/// locked in the order given, which callers keep the same everywhere against deadlocks.
pub fn add(
    conn: &mut DbConnection,
    table: &'static CounterTable,
    rows: &[Addition<'_>],
) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let statement = Upsert { table, rows };
    crate::on_backend!(conn, |c| statement.execute(c))?;
    Ok(())
}

struct Upsert<'a, 'r> {
    table: &'static CounterTable,
    rows: &'a [Addition<'r>],
}

impl QueryId for Upsert<'_, '_> {
    type QueryId = ();
    // Cached by its SQL text: one prepared statement per table and row count.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Conn> RunQueryDsl<Conn> for Upsert<'_, '_> {}

impl<DB> QueryFragment<DB> for Upsert<'_, '_>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<Integer>,
    str: ToSql<Text, DB>,
    i32: ToSql<Integer, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let t = self.table;
        out.push_sql(&format!("INSERT INTO {} ({}) VALUES ", t.name, t.columns()));
        for (i, row) in self.rows.iter().enumerate() {
            out.push_sql(if i == 0 { "(" } else { ", (" });
            for (j, text) in row.texts.iter().enumerate() {
                if j > 0 {
                    out.push_sql(", ");
                }
                out.push_bind_param::<Text, str>(text)?;
            }
            for number in row.numbers {
                out.push_sql(", ");
                out.push_bind_param::<Integer, i32>(number)?;
            }
            out.push_sql(")");
        }
        out.push_sql(" ");
        out.push_sql(&t.on_conflict_add());
        Ok(())
    }
}
