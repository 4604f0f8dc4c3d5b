//! Keyset pagination: a page holds at most `limit` items and an opaque cursor naming the last
//! one, so the next page starts right after it whatever its depth.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// What the client asked for: how many, and after which key.
#[derive(Debug, Clone)]
pub struct PageRequest<K> {
    pub limit: i64,
    pub after: Option<K>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PageError {
    #[error("limit must be a whole number from 1 to {MAX_LIMIT}")]
    Limit,
    #[error("cursor is not one this service gave out")]
    Cursor,
}

impl<K: DeserializeOwned> PageRequest<K> {
    /// A limit above the maximum is lowered to it, as most list APIs do; below 1 is an error.
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<PageRequest<K>, PageError> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(n) if n < 1 => return Err(PageError::Limit),
            Some(n) => n.min(MAX_LIMIT),
        };
        let after = cursor.map(decode_cursor).transpose()?;
        Ok(PageRequest { limit, after })
    }

    /// Storage fetches one row more than the page holds, to learn whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }
}

/// One page of a list, as every list endpoint answers it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds the page from up to `fetch_limit` rows; `key` gives the keyset of the last item.
    pub fn from_rows<K: Serialize>(
        mut rows: Vec<T>,
        request: &PageRequest<impl Sized>,
        key: impl Fn(&T) -> K,
    ) -> Page<T> {
        let more = rows.len() as i64 > request.limit;
        rows.truncate(request.limit as usize);
        let next_cursor = if more {
            rows.last().map(|last| encode_cursor(&key(last)))
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).expect("keys serialise"))
}

fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> Result<K, PageError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| PageError::Cursor)?;
    serde_json::from_slice(&bytes).map_err(|_| PageError::Cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_caps_and_rejects() {
        let page = PageRequest::<String>::parse(None, None).unwrap();
        assert_eq!(page.limit, DEFAULT_LIMIT);
        assert_eq!(
            PageRequest::<String>::parse(Some(1000), None)
                .unwrap()
                .limit,
            MAX_LIMIT
        );
        assert_eq!(
            PageRequest::<String>::parse(Some(0), None).unwrap_err(),
            PageError::Limit
        );
    }

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let request = PageRequest::<(i64, String)>::parse(Some(2), None).unwrap();
        let page = Page::from_rows(vec![1, 2, 3], &request, |n| (*n as i64, format!("k{n}")));
        assert_eq!(page.items, vec![1, 2]);
        let cursor = page.next_cursor.unwrap();
        let next = PageRequest::<(i64, String)>::parse(None, Some(&cursor)).unwrap();
        assert_eq!(next.after, Some((2, "k2".to_owned())));
        assert_eq!(
            PageRequest::<(i64, String)>::parse(None, Some("not a cursor!")).unwrap_err(),
            PageError::Cursor
        );
    }

    #[test]
    fn last_page_has_no_cursor() {
        let request = PageRequest::<i64>::parse(Some(5), None).unwrap();
        assert_eq!(
            Page::from_rows(vec![1, 2], &request, |n| *n).next_cursor,
            None
        );
    }
}
