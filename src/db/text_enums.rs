//! The domain's enumerations and region codes are stored as text, its ids as big integers; these impls read them
//! straight from a column, refusing a value the domain does not know, and write them straight
//! into one, so no query spells a value out as a string. The domain knows nothing of diesel:
//! its types get their column impls here.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{BigInt, SingleValue, Text};

use crate::domain::calendar::DayKind;
use crate::domain::ids::{DepartmentId, EnterpriseId, SupervisionId, TicketId, UserId};
use crate::domain::region::{RegionCode, RegionLevel};
use crate::domain::role::Role;
use crate::domain::rollup::Month;
use crate::domain::sla::Warning;
use crate::domain::ticket::{ExtensionStatus, Priority, Status, SupervisionStatus, TaskStatus};
use crate::domain::working_time::{Duration, DurationUnit};

/// Reading: a text column into the type, through its `TryFrom<String>`.
macro_rules! from_text {
    ($($ty:ty),+) => {$(
        impl<DB> FromSql<Text, DB> for $ty
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                <$ty>::try_from(text).map_err(Into::into)
            }
        }

        impl<DB, ST> Queryable<ST, DB> for $ty
        where
            DB: Backend,
            ST: SingleValue,
            $ty: FromSql<ST, DB>,
        {
            type Row = Self;
            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
    )+};
}

/// Writing: the type as its text, on every backend (the multi-connection's included, which
/// hands the text on to the backend in use). diesel's own derive makes the type usable as an
/// expression of a text column; `foreign_derive` points it at a type of another module.
macro_rules! to_text {
    ($($ty:ty),+) => {$(
        impl<DB> ToSql<Text, DB> for $ty
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        const _: () = {
            #[derive(diesel::expression::AsExpression)]
            #[diesel(foreign_derive, sql_type = Text)]
            #[allow(dead_code)] // only its impls are used
            struct Column($ty);
        };
    )+};
}

from_text!(
    Status,
    ExtensionStatus,
    TaskStatus,
    SupervisionStatus,
    Priority,
    RegionLevel,
    Role,
    Warning,
    Month,
    DayKind,
    RegionCode,
    Duration,
    DurationUnit
);
to_text!(
    Status,
    ExtensionStatus,
    TaskStatus,
    SupervisionStatus,
    Priority,
    RegionLevel,
    Role,
    Warning,
    DayKind,
    RegionCode,
    DurationUnit
);

/// Ids: a big-integer column read into and written from the id's type.
macro_rules! big_integer {
    ($($ty:ident),+) => {$(
        impl<DB> FromSql<BigInt, DB> for $ty
        where
            DB: Backend,
            i64: FromSql<BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                i64::from_sql(bytes).map($ty)
            }
        }

        impl<DB, ST> Queryable<ST, DB> for $ty
        where
            DB: Backend,
            ST: SingleValue,
            $ty: FromSql<ST, DB>,
        {
            type Row = Self;
            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl<DB> ToSql<BigInt, DB> for $ty
        where
            DB: Backend,
            i64: ToSql<BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.0.to_sql(out)
            }
        }

        const _: () = {
            #[derive(diesel::expression::AsExpression)]
            #[diesel(foreign_derive, sql_type = BigInt)]
            #[allow(dead_code)] // only its impls are used
            struct Column($ty);
        };
    )+};
}

big_integer!(TicketId, UserId, EnterpriseId, DepartmentId, SupervisionId);
