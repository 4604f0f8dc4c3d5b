//! The domain's enumerations are stored as text; these impls read them straight from a column,
//! refusing a value the domain does not know.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::sql_types::{SingleValue, Text};

use crate::domain::calendar::DayKind;
use crate::domain::region::RegionLevel;
use crate::domain::role::Role;
use crate::domain::sla::Warning;
use crate::domain::stats::Month;
use crate::domain::ticket::{Priority, Status};

macro_rules! text_column {
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

text_column!(Status, Priority, RegionLevel, Role, Warning, Month, DayKind);
