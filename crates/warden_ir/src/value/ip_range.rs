//! Addresses and CIDR ranges of the `IpAddress` operators.

use std::net::IpAddr;

/// An IP address range: an address as written and a prefix length. A bare
/// address is a range of one (`/32` or `/128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    address: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address
    /// (surrounding whitespace ignored). The prefix length must fit the
    /// address family.
    pub fn parse(s: &str) -> Option<IpRange> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (s.parse::<IpAddr>().ok()?, None),
        };
        let max = max_prefix(addr);
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(IpRange {
            address: addr,
            prefix,
        })
    }

    /// The address as written (host bits included).
    pub fn address(&self) -> IpAddr {
        self.address
    }

    /// The prefix length (32 or 128 for a bare address).
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The first address of the range: the written address with the bits
    /// after the prefix cleared, as AWS reads `203.0.113.7/24`.
    pub fn network(&self) -> IpAddr {
        let (v4, lo, _) = self.bounds();
        match self.address {
            // `bounds` keeps an IPv4 range in the low 32 bits.
            IpAddr::V4(_) if v4 => IpAddr::V4(u32::try_from(lo).unwrap_or(0).into()),
            _ => IpAddr::V6(lo.into()),
        }
    }

    /// The first and last address of the range, as numbers (IPv4 in the
    /// low 32 bits), and whether it is IPv4.
    pub fn bounds(&self) -> (bool, u128, u128) {
        let (v4, value, bits) = match self.address {
            IpAddr::V4(a) => (true, u128::from(u32::from(a)), 32u32),
            IpAddr::V6(a) => (false, u128::from(a), 128u32),
        };
        let host = bits - u32::from(self.prefix);
        let span = if host >= 128 {
            u128::MAX
        } else {
            (1u128 << host) - 1
        };
        let lo = value & !span;
        (v4, lo, lo | span)
    }

    /// Whether `ip` (an address, or a range whose network address is used)
    /// lies in this range. Addresses of different families never match.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(
                u128::from(u32::from(n)) << 96,
                u128::from(u32::from(a)) << 96,
                self.prefix,
            ),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(u128::from(n), u128::from(a), self.prefix),
            _ => false,
        }
    }

    /// Whether the whole range lies inside a private block: 10.0.0.0/8,
    /// 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) or fc00::/7 (unique local
    /// IPv6 addresses, RFC 4193). Such addresses never reach AWS as a
    /// request's `aws:SourceIp`.
    pub fn is_private(&self) -> bool {
        let len = self.prefix;
        match self.address {
            IpAddr::V4(v4) => {
                let [a, b, ..] = v4.octets();
                (a == 10 && len >= 8)
                    || (a == 172 && (16..32).contains(&b) && len >= 12)
                    || (a == 192 && b == 168 && len >= 16)
            }
            IpAddr::V6(v6) => {
                v6.segments().first().is_some_and(|s| s & 0xfe00 == 0xfc00) && len >= 7
            }
        }
    }
}

/// A single address as a range of one.
impl From<IpAddr> for IpRange {
    fn from(address: IpAddr) -> IpRange {
        IpRange {
            address,
            prefix: max_prefix(address),
        }
    }
}

fn max_prefix(ip: IpAddr) -> u8 {
    if ip.is_ipv4() { 32 } else { 128 }
}

fn prefix_eq(a: u128, b: u128, prefix: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let mask = u128::MAX << (128 - u32::from(prefix));
    a & mask == b & mask
}

/// Parses a request's IP value (an address, or a CIDR whose address is used).
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.split_once('/').map_or(s, |(a, _)| a).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_ranges() {
        let r = IpRange::parse("203.0.113.0/24").unwrap();
        assert!(r.contains(parse_ip("203.0.113.7").unwrap()));
        assert!(!r.contains(parse_ip("203.0.114.7").unwrap()));
        let bare = IpRange::parse("203.0.113.7").unwrap();
        assert!(bare.contains(parse_ip("203.0.113.7").unwrap()));
        let v6 = IpRange::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(parse_ip("2001:db8:1::1").unwrap()));
        assert!(!v6.contains(parse_ip("203.0.113.7").unwrap()));
        assert!(
            IpRange::parse("0.0.0.0/0")
                .unwrap()
                .contains(parse_ip("1.2.3.4").unwrap())
        );
        assert_eq!(IpRange::parse("10.0.0.0/33"), None);
        assert!(IpRange::parse("2001:db8::/129").is_none());
    }

    #[test]
    fn networks() {
        let net = |s: &str| IpRange::parse(s).unwrap().network().to_string();
        assert_eq!(net("203.0.113.7/24"), "203.0.113.0");
        assert_eq!(net("203.0.113.7"), "203.0.113.7");
        assert_eq!(net("1.2.3.4/0"), "0.0.0.0");
        assert_eq!(net("2001:db8::1/32"), "2001:db8::");
    }

    #[test]
    fn private_blocks() {
        let p = |s: &str| IpRange::parse(s).is_some_and(|r| r.is_private());
        assert!(p("10.1.0.0/16"));
        assert!(p("172.31.255.255"));
        assert!(p("192.168.0.0/16"));
        assert!(p("fd00::/8"));
        assert!(!p("10.0.0.0/7"));
        assert!(!p("172.32.0.0/16"));
        assert!(!p("203.0.113.0/24"));
    }
}
