//! The login throttle: keyed on the username and the client's address, with a slower backstop
//! per username; addresses from `X-Forwarded-For` only through trusted proxies; an unlock for
//! administrators; bounded storage for failures; and a bounded queue for password hashing.

use std::time::{Duration, Instant};

use diesel::{QueryDsl, RunQueryDsl};
use enterprise_assist::clock::Clock;
use enterprise_assist::config::Settings;
use enterprise_assist::db::DbError;
use enterprise_assist::db::schema::login_throttle;
use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::fixtures::{PASSWORD, World, new_user};
use crate::helpers::{TestApp, expect_json};

const LOGIN: &str = "/api/v1/auth/login";

/// A login as if from `address`, which the service believes only behind a trusted proxy.
async fn login_from(app: &TestApp, address: &str, username: &str, password: &str) -> u16 {
    app.client
        .post(app.url(LOGIN))
        .header("x-forwarded-for", address)
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Five wrong passwords from one address.
async fn lock_from(app: &TestApp, address: &str, username: &str) {
    for _ in 0..5 {
        assert_eq!(
            login_from(app, address, username, "not-the-password").await,
            401
        );
    }
    assert_eq!(login_from(app, address, username, PASSWORD).await, 429);
}

async fn throttle_rows(app: &TestApp) -> i64 {
    app.db
        .run(|c| Ok::<_, DbError>(login_throttle::table.count().get_result(c)?))
        .await
        .unwrap()
}

fn behind_a_proxy(settings: &mut Settings) {
    settings.limits.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
}

/// Five failures close the username for one address only; a hundred from many addresses close
/// it for all, until the hour is over.
async fn lockout_is_per_address_with_a_slower_backstop(app: &TestApp) {
    let admin = app.admin_token().await;
    let region = json!({"region_code": "411602"});
    new_user(app, &admin, "target.user", "cadre", region).await;
    lock_from(app, "203.0.113.1", "target.user").await;
    assert_eq!(
        login_from(app, "203.0.113.2", "target.user", PASSWORD).await,
        200
    );
    // An IPv6 network (/64) counts as one address.
    lock_from(app, "2001:db8:1:2::1", "target.user").await;
    assert_eq!(
        login_from(app, "2001:db8:1:2::ff", "target.user", PASSWORD).await,
        429
    );
    assert_eq!(
        login_from(app, "2001:db8:1:3::1", "target.user", PASSWORD).await,
        200
    );

    // The backstop: 100 failures within the hour, from everywhere together.
    for n in 0..18 {
        let address = format!("198.51.100.{n}");
        for _ in 0..5 {
            login_from(app, &address, "target.user", "not-the-password").await;
        }
    }
    assert_eq!(
        login_from(app, "192.0.2.77", "target.user", PASSWORD).await,
        429
    );
    assert_eq!(
        login_from(app, "192.0.2.77", "admin", "admin-password-0001").await,
        200
    );
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(
        login_from(app, "192.0.2.77", "target.user", PASSWORD).await,
        200
    );
}

/// Without trusted proxies, `X-Forwarded-For` is the client's word and is ignored.
async fn forwarded_addresses_are_ignored_from_untrusted_peers(app: &TestApp) {
    let admin = app.admin_token().await;
    let region = json!({"region_code": "411602"});
    new_user(app, &admin, "target.user", "cadre", region).await;
    lock_from(app, "203.0.113.1", "target.user").await;
    assert_eq!(
        login_from(app, "203.0.113.2", "target.user", PASSWORD).await,
        429
    );
}

async fn unlock(app: &TestApp, token: &str, user: &str, status: u16) {
    let path = format!("/api/v1/users/{user}/unlock");
    let response = app.request(Method::POST, &path, Some(token), None).await;
    assert_eq!(
        response.status(),
        status,
        "{}",
        response.text().await.unwrap()
    );
}

/// Administrators unlock anyone, supervisors the cadres and enterprise staff of their region.
async fn administrators_and_supervisors_unlock_accounts(app: &TestApp) {
    let w = World::build(app).await;
    lock_from(app, "203.0.113.1", "cadre.own").await;
    unlock(app, &w.sup_foreign.token, &w.cadre.id(), 404).await;
    unlock(app, &w.cadre.token, &w.cadre.id(), 403).await;
    unlock(app, &w.staff1.token, &w.cadre.id(), 404).await;
    assert_eq!(
        login_from(app, "203.0.113.1", "cadre.own", PASSWORD).await,
        429
    );
    unlock(app, &w.sup_own.token, &w.cadre.id(), 204).await;
    assert_eq!(
        login_from(app, "203.0.113.1", "cadre.own", PASSWORD).await,
        200
    );

    lock_from(app, "203.0.113.1", "sup.own").await;
    unlock(app, &w.sup_own.token, &w.sup_own.id(), 403).await;
    unlock(app, &w.admin, &w.sup_own.id(), 204).await;
    assert_eq!(
        login_from(app, "203.0.113.1", "sup.own", PASSWORD).await,
        200
    );
    unlock(app, &w.admin, "999999999", 404).await;
}

/// A username too long to be anyone's is refused without a 500 and without storing it; other
/// failures are stored under fixed-size keys, and the periodic job purges them.
async fn failed_logins_are_stored_under_bounded_keys(app: &TestApp) {
    app.admin_token().await;
    let before = throttle_rows(app).await;
    for _ in 0..20 {
        // Random, so PostgreSQL cannot compress it below its index's row limit.
        let username: String = (0..100)
            .map(|_| uuid::Uuid::new_v4().simple().to_string())
            .collect();
        let body = json!({"username": username, "password": "whatever-it-is"});
        let response = app.request(Method::POST, LOGIN, None, Some(&body)).await;
        expect_json(response, 401).await;
    }
    assert_eq!(throttle_rows(app).await, before);

    let body = json!({"username": "x".repeat(64), "password": "whatever-it-is"});
    let response = app.request(Method::POST, LOGIN, None, Some(&body)).await;
    expect_json(response, 401).await;
    let keys: Vec<String> = app
        .db
        .run(|c| {
            Ok::<_, DbError>(
                login_throttle::table
                    .select(login_throttle::throttle_key)
                    .load(c)?,
            )
        })
        .await
        .unwrap();
    assert_eq!(keys.len(), 2, "one per address and one per username");
    assert!(keys.iter().all(|k| k.len() == 64), "{keys:?}");

    let now = app.clock.now();
    enterprise_assist::jobs::run_once(&app.state, now)
        .await
        .unwrap();
    assert_eq!(throttle_rows(app).await, 2, "still in their windows");
    let later = now + chrono::TimeDelta::minutes(61);
    enterprise_assist::jobs::run_once(&app.state, later)
        .await
        .unwrap();
    assert_eq!(throttle_rows(app).await, 0);
}

fn short_hash_queue(settings: &mut Settings) {
    settings.limits.password_hash_queue = 4;
}

/// Hundreds of bogus client-credential exchanges at once: past the queue's bound they are
/// refused with 503 and `Retry-After`, so a real login is answered at once (not after the
/// flood's hashing) and gets through on a retry.
async fn a_flood_of_bogus_exchanges_does_not_delay_a_real_login(app: &TestApp) {
    app.admin_token().await;
    let flood: Vec<_> = (0..400)
        .map(|n| {
            let body = json!({"client_id": format!("eac_bogus{n}"), "client_secret": "guess"});
            let request = app.client.post(app.url("/api/v1/auth/token")).json(&body);
            tokio::spawn(async move {
                let response = request.send().await.unwrap();
                let retry = response.headers().contains_key("retry-after");
                (response.status().as_u16(), retry)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let real = reqwest::Client::new();
    let body = json!({"username": "admin", "password": "admin-password-0001"});
    let mut answered_within = Vec::new();
    loop {
        let started = Instant::now();
        let response = real.post(app.url(LOGIN)).json(&body).send().await.unwrap();
        answered_within.push(started.elapsed());
        match response.status().as_u16() {
            200 => break,
            503 => {
                let wait: u64 = response.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(answered_within.len() < 10, "{answered_within:?}");
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
            other => panic!("login answered {other}"),
        }
    }
    let slowest = answered_within.iter().max().unwrap();
    assert!(
        *slowest < Duration::from_secs(2),
        "a real login waited {answered_within:?}"
    );
    let mut refused = 0;
    for handle in flood {
        let (status, retry) = handle.await.unwrap();
        assert!(status == 401 || (status == 503 && retry), "{status}");
        refused += usize::from(status == 503);
    }
    assert!(refused > 0, "nothing was refused");
}

mod proxied {
    use super::*;
    crate::both_backends_with!(behind_a_proxy;
        lockout_is_per_address_with_a_slower_backstop,
        administrators_and_supervisors_unlock_accounts,
    );
}

mod queue {
    use super::*;
    crate::both_backends_with!(short_hash_queue; a_flood_of_bogus_exchanges_does_not_delay_a_real_login);
}

both_backends!(
    forwarded_addresses_are_ignored_from_untrusted_peers,
    failed_logins_are_stored_under_bounded_keys,
);
