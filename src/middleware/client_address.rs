//! Who the client is on the network: the connection's peer, or, when the peer is one of the
//! `TRUSTED_PROXIES`, the address that proxy reports in `X-Forwarded-For` (read from the right,
//! skipping further trusted proxies). A header from anyone else is the client's own claim and
//! is ignored. The rate limit and the login throttle both count by this address.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::{Ready, ready};
use ipnet::IpNet;

use crate::domain::address::ClientAddress;
use crate::error::Error;
use crate::state::AppState;

/// The client of `peer`, trusting the `forwarded_for` headers (in order of arrival) only as
/// far as the hops are `trusted`.
pub fn resolve(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&ip.to_canonical()));
    let mut client = peer;
    let hops = forwarded_for
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.into_iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(ip) => client = ip,
            // Garbage from beyond the trusted proxies: the last hop they vouched for stands.
            Err(_) => break,
        }
    }
    client
}

/// The client address of a request (`0.0.0.0` when there is no peer, as in some unit tests).
pub fn of_request(req: &HttpRequest) -> ClientAddress {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.limits.trusted_proxies.as_slice())
        .unwrap_or_default();
    if trusted.is_empty() {
        return ClientAddress::new(peer);
    }
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    ClientAddress::new(resolve(peer, &forwarded, trusted))
}

impl FromRequest for ClientAddress {
    type Error = Error;
    type Future = Ready<Result<ClientAddress, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(of_request(req)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let proxies = nets(&["10.0.0.0/8"]);
        let client = ip("203.0.113.9");
        assert_eq!(resolve(ip("10.1.1.1"), &["203.0.113.9"], &proxies), client);
        // The client's own claims, left of what the proxy appended, are ignored.
        assert_eq!(
            resolve(ip("10.1.1.1"), &["198.51.100.1, 203.0.113.9"], &proxies),
            client
        );
        // A chain of trusted proxies, over two headers.
        assert_eq!(
            resolve(ip("10.1.1.1"), &["203.0.113.9", "10.2.2.2"], &proxies),
            client
        );
        // Not from a trusted proxy: the header is anybody's word.
        assert_eq!(resolve(client, &["198.51.100.1"], &proxies), client);
        assert_eq!(
            resolve(ip("10.1.1.1"), &["198.51.100.1"], &[]),
            ip("10.1.1.1")
        );
        assert_eq!(
            resolve(ip("10.1.1.1"), &["not an address"], &proxies),
            ip("10.1.1.1")
        );
        assert_eq!(resolve(ip("10.1.1.1"), &[], &proxies), ip("10.1.1.1"));
    }
}
