//! The client's network address, as far as counting goes: one IPv4 address, or one IPv6 /64
//! network (what a single subscriber is usually given, so an attacker there cannot count as
//! billions of clients).

use std::net::{IpAddr, Ipv6Addr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(IpAddr);

impl ClientAddress {
    /// An address as the peer or a trusted proxy gave it; IPv4 addresses mapped into IPv6
    /// are IPv4 again.
    pub fn new(ip: IpAddr) -> ClientAddress {
        ClientAddress(ip.to_canonical())
    }

    /// What it is counted under: the address, or its /64 for IPv6.
    pub fn counted_as(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", Ipv6Addr::from(network))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(text: &str) -> String {
        ClientAddress::new(text.parse().unwrap()).counted_as()
    }

    #[test]
    fn one_ipv4_address_or_one_ipv6_network_counts_as_one_client() {
        assert_eq!(counted("203.0.113.7"), "203.0.113.7");
        assert_eq!(counted("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(counted("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(counted("2001:db8:1:2:ffff::9"), "2001:db8:1:2::/64");
        assert_ne!(counted("2001:db8:1:3::1"), counted("2001:db8:1:2::1"));
    }
}
