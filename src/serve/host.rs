//! Which `Host` a request may name: the defence against DNS rebinding.
//!
//! A web page can point a name of its own (`evil.example`) at 127.0.0.1 and
//! then read whatever the preview answers, drafts included: to the browser it
//! is that page's own site. The browser still sends the name it looked up in
//! `Host`, so the server answers only names no one else can point here:
//! `localhost`, the loopback addresses (`127.0.0.1`, `[::1]`) and the address
//! it listens on. Listening on every address (`--bind 0.0.0.0` or `::`), the
//! computer's own addresses are not known in advance, so any IP address is
//! accepted there: a request that names an address involved no name lookup to
//! rebind. Every other name is refused, with or without a port. (Vite and
//! webpack-dev-server draw the same line; they also accept `*.localhost`.)

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// True when a server listening on `bound` answers a request whose `Host`
/// header is `host` (`name` or `name:port`, IPv6 addresses in brackets).
pub(super) fn allowed(host: &str, bound: IpAddr) -> bool {
    match name(host) {
        Some(Name::Localhost) => true,
        Some(Name::Address(ip)) => ip.is_loopback() || ip == bound || bound.is_unspecified(),
        Some(Name::Other) | None => false,
    }
}

/// What a `Host` header names.
#[derive(Debug, PartialEq, Eq)]
enum Name {
    Localhost,
    Address(IpAddr),
    /// Any other DNS name.
    Other,
}

/// What `host` names, its port set aside; None when it is not `name[:port]`.
fn name(host: &str) -> Option<Name> {
    let (name, port) = match host.rsplit_once(':') {
        // The colons of `[::1]` are not a port's.
        Some((name, port)) if !port.contains(']') => (name, Some(port)),
        _ => (host, None),
    };
    if port.is_some_and(|port| port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if let Some(inside) = name.strip_prefix('[') {
        let address = inside.strip_suffix(']')?.parse::<Ipv6Addr>().ok()?;
        return Some(Name::Address(address.into()));
    }
    Some(if let Ok(address) = name.parse::<Ipv4Addr>() {
        Name::Address(address.into())
    } else if name.eq_ignore_ascii_case("localhost") {
        Name::Localhost
    } else {
        Name::Other
    })
}

/// The body of the refusal of `host`: what was refused, why, and where to go
/// instead (`open`: the address bounce printed, whose host is 127.0.0.1 when
/// it listens on `every_address`).
pub(super) fn refusal(host: &str, open: &str, every_address: bool) -> String {
    let elsewhere = if every_address {
        " (from another device, with this computer's IP address in place of 127.0.0.1)"
    } else {
        ""
    };
    format!(
        "This is the preview of bounce serve. It answers only addresses that name \
         this computer (`localhost` or its IP address), not `{host}`: otherwise any \
         web site could point a name of its own at this computer and read the \
         preview.\n\nOpen {open} instead{elsewhere}.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> IpAddr {
        Ipv4Addr::LOCALHOST.into()
    }

    #[test]
    fn localhost_and_loopback_addresses_are_answered_with_or_without_a_port() {
        for host in [
            "localhost",
            "localhost:8000",
            "LOCALHOST:8000",
            "127.0.0.1",
            "127.0.0.1:8000",
            "[::1]",
            "[::1]:8000",
        ] {
            assert!(allowed(host, loopback()), "{host}");
            assert!(allowed(host, "192.168.1.20".parse().expect("ip")), "{host}");
        }
    }

    #[test]
    fn other_names_are_refused_whatever_the_bind() {
        for host in [
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "127.0.0.1.nip.io:8000",
            "evil.localhost",
            "my-laptop.local:8000",
            "",
        ] {
            assert!(!allowed(host, loopback()), "{host}");
            assert!(!allowed(host, Ipv4Addr::UNSPECIFIED.into()), "{host}");
            assert!(!allowed(host, Ipv6Addr::UNSPECIFIED.into()), "{host}");
        }
    }

    #[test]
    fn malformed_hosts_are_refused() {
        for host in [
            "localhost:",
            "localhost:80a",
            "localhost:+80",
            "localhost:8000:8000",
            "::1",
            "[::1",
            "[::1]x",
            "[localhost]",
            "[127.0.0.1]",
            "127.0.0.1 ",
            "0x7f.0.0.1",
            "2130706433",
        ] {
            assert!(!allowed(host, Ipv4Addr::UNSPECIFIED.into()), "{host}");
        }
    }

    #[test]
    fn the_bound_address_is_answered() {
        let bound = "192.168.1.20".parse().expect("ip");
        assert!(allowed("192.168.1.20:8000", bound));
        assert!(!allowed("192.168.1.21:8000", bound));
        assert!(!allowed("192.168.1.20:8000", loopback()));
        let bound = "fd00::20".parse().expect("ip");
        assert!(allowed("[fd00::20]:8000", bound));
        assert!(!allowed("[fd00::21]:8000", bound));
    }

    #[test]
    fn bound_to_every_address_any_ip_address_is_answered() {
        for bound in [Ipv4Addr::UNSPECIFIED.into(), Ipv6Addr::UNSPECIFIED.into()] {
            for host in [
                "192.168.1.20:8000",
                "10.0.0.5",
                "[fd00::20]:8000",
                "localhost",
            ] {
                assert!(allowed(host, bound), "{host} on {bound}");
            }
        }
    }
}
