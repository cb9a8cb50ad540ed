//! Where a webhook may be sent. A URL an organiser types is a request the server makes
//! from inside the organisation's network, so by default only global addresses are
//! reached: an IP literal is checked when the endpoint is added and at every send, and a
//! host name is checked on every resolution (so a name that later points inside is
//! refused then). `--allow-private-webhooks` lifts this for a receiver on the local
//! network. Redirects are never followed (a public receiver could point inside), and the
//! proxy variables of the environment are ignored (`worker::client`): a proxy resolves
//! names itself, where this check never sees them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The longest URL accepted.
const MAX_URL: usize = 2000;

/// IPv4 blocks that are not global: every entry of the IANA IPv4 Special-Purpose Address
/// Registry whose "Globally Reachable" is False (192.0.0.0/24 whole, though two of its
/// addresses are global anycast: no webhook receiver sits there), the deprecated 6to4
/// relay anycast, multicast and the reserved 240.0.0.0/4 with the broadcast address.
const NOT_GLOBAL_V4: &[(Ipv4Addr, u8, &str)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8, "this network"),
    (Ipv4Addr::new(10, 0, 0, 0), 8, "private"),
    (Ipv4Addr::new(100, 64, 0, 0), 10, "shared address space (CGNAT)"),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "loopback"),
    (Ipv4Addr::new(169, 254, 0, 0), 16, "link-local (cloud metadata)"),
    (Ipv4Addr::new(172, 16, 0, 0), 12, "private"),
    (Ipv4Addr::new(192, 0, 0, 0), 24, "IETF protocol assignments"),
    (Ipv4Addr::new(192, 0, 2, 0), 24, "documentation"),
    (Ipv4Addr::new(192, 88, 99, 0), 24, "6to4 relay anycast"),
    (Ipv4Addr::new(192, 168, 0, 0), 16, "private"),
    (Ipv4Addr::new(198, 18, 0, 0), 15, "benchmarking"),
    (Ipv4Addr::new(198, 51, 100, 0), 24, "documentation"),
    (Ipv4Addr::new(203, 0, 113, 0), 24, "documentation"),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "multicast"),
    (Ipv4Addr::new(240, 0, 0, 0), 4, "reserved, and broadcast"),
];

/// IPv6 blocks inside the global unicast space (2000::/3) that are not global, from the
/// IANA IPv6 Special-Purpose Address Registry: all of 2001::/23 (Teredo, benchmarking,
/// ORCHID and the rest; its few global anycast entries have no webhook receivers),
/// documentation, and the 6to4 block, whose embedded IPv4 address is judged instead.
const NOT_GLOBAL_V6: &[(Ipv6Addr, u8, &str)] = &[
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23, "IETF protocol assignments (Teredo among them)"),
    (Ipv6Addr::new(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0), 32, "documentation"),
    (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20, "documentation"),
];

fn in_v4(ip: Ipv4Addr, (net, len, _): &(Ipv4Addr, u8, &str)) -> bool {
    let mask = u32::MAX.checked_shl(32 - u32::from(*len)).unwrap_or(0);
    u32::from(ip) & mask == u32::from(*net) & mask
}

fn in_v6(ip: Ipv6Addr, (net, len, _): &(Ipv6Addr, u8, &str)) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(*len)).unwrap_or(0);
    u128::from(ip) & mask == u128::from(*net) & mask
}

/// Whether an address is globally reachable, so a webhook may be sent to it. IPv6 is
/// allowed only in the global unicast space 2000::/3, less the blocks above; an IPv4
/// address carried inside an IPv6 one (IPv4-mapped `::ffff:a.b.c.d`, NAT64
/// `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`) is judged as that IPv4 address, because
/// that is where a translator or relay delivers it. IPv4-compatible `::a.b.c.d`, the
/// NAT64 local-use block, site-local `fec0::/10`, unique-local, link-local and multicast
/// all lie outside 2000::/3 and are refused.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    !NOT_GLOBAL_V4.iter().any(|block| in_v4(ip, block))
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let global_unicast = (Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3, "global unicast");
    in_v6(ip, &global_unicast) && !NOT_GLOBAL_V6.iter().any(|block| in_v6(ip, block))
}

/// The IPv4 address an IPv6 address delivers to, where it is one of the forms that embed
/// one: IPv4-mapped (`::ffff:0:0/96`), NAT64's well-known prefix (`64:ff9b::/96`) and 6to4
/// (`2002::/16`, the address in bits 16 to 48).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let bits = u128::from(ip);
    let low32 = Ipv4Addr::from(bits as u32);
    let mapped = (Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96, "");
    let nat64 = (Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96, "");
    let six_to_four = (Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16, "");
    if in_v6(ip, &mapped) || in_v6(ip, &nat64) {
        Some(low32)
    } else if in_v6(ip, &six_to_four) {
        Some(Ipv4Addr::from((bits >> 80) as u32))
    } else {
        None
    }
}

/// Reads `--webhook-proxy`: an http:// or https:// URL with a host, as
/// `http://proxy.example.gov.uk:3128`.
pub fn parse_proxy(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text.trim()).map_err(|e| format!("`{text}` is not a URL ({e}); write it as http://proxy.example.gov.uk:3128"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("`{text}` is not an http:// or https:// proxy address; write it as http://proxy.example.gov.uk:3128"));
    }
    Ok(url)
}

/// Checks a webhook URL as typed: http or https, a host, no longer than browsers take,
/// and (unless private targets are allowed) no private IP literal. The message says
/// what to change.
pub fn check_url(text: &str, allow_private: bool) -> Result<url::Url, String> {
    let text = text.trim();
    if text.len() > MAX_URL {
        return Err(format!("The URL is {} characters long; the most is {MAX_URL}.", text.len()));
    }
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL ({e}); write it as https://receiver.example.gov.uk/hooks/canvass."))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(format!("`{text}` is not an http or https URL; webhooks are sent as HTTPS POST requests."));
    }
    let Some(host) = url.host() else {
        return Err(format!("`{text}` has no host; write it as https://receiver.example.gov.uk/hooks/canvass."));
    };
    let literal = match host {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    };
    if let Some(ip) = literal.filter(|ip| !allow_private && !is_public(*ip)) {
        return Err(refusal(&ip.to_string()));
    }
    Ok(url)
}

/// Why a private target is refused, and how to allow it.
pub fn refusal(address: &str) -> String {
    format!(
        "{address} is not a public internet address (it is private, loopback, link-local or reserved), and webhooks are only sent to public addresses. \
         To send to a receiver on your own network, start the server (and run this command) with --allow-private-webhooks."
    )
}

/// The resolver the webhook client uses when private targets are not allowed (and no
/// `--webhook-proxy` resolves names instead): a name resolving to any address that is not
/// public is refused, so no request is ever made to it.
pub struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(private) = addrs.iter().find(|a| !is_public(a.ip())) {
                return Err(refusal(&format!("{host} resolves to {}, which", private.ip())).into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_that_is_not_global_is_refused_and_global_ones_pass() {
        let table: &[(&str, bool)] = &[
            // IPv4: the special-purpose registry, multicast, reserved, broadcast.
            ("0.0.0.0", false),
            ("0.1.2.3", false),
            ("10.1.2.3", false),
            ("100.64.0.1", false),
            ("100.127.255.254", false),
            ("127.0.0.1", false),
            ("127.255.255.254", false),
            ("169.254.169.254", false),
            ("172.16.0.1", false),
            ("172.31.255.254", false),
            ("192.0.0.8", false),
            ("192.0.0.170", false),
            ("192.0.2.1", false),
            ("192.88.99.1", false),
            ("192.168.1.1", false),
            ("198.18.0.1", false),
            ("198.19.255.254", false),
            ("198.51.100.7", false),
            ("203.0.113.9", false),
            ("224.0.0.1", false),
            ("239.255.255.250", false),
            ("240.0.0.1", false),
            ("255.255.255.255", false),
            ("8.8.8.8", true),
            ("81.2.69.160", true),
            ("100.63.255.255", true),
            ("100.128.0.1", true),
            ("172.32.0.1", true),
            ("192.0.1.1", true),
            ("198.17.255.255", true),
            ("198.20.0.1", true),
            ("223.255.255.254", true),
            // IPv6 outside 2000::/3, and the blocks inside it that are not global.
            ("::", false),
            ("::1", false),
            ("::127.0.0.1", false),
            ("::8.8.8.8", false),
            ("64:ff9b:1::1", false),
            ("100::1", false),
            ("2001::1", false),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", false),
            ("2001:2::1", false),
            ("2001:10::1", false),
            ("2001:db8::1", false),
            ("3fff::1", false),
            ("5f00::1", false),
            ("fc00::1", false),
            ("fd00::1", false),
            ("fe80::1", false),
            ("fec0::1", false),
            ("feff::1", false),
            ("ff02::1", false),
            ("2a00:1450:4009:81f::200e", true),
            ("2001:4860:4860::8888", true),
            ("2606:4700:4700::1111", true),
            // IPv4 inside IPv6: judged as the IPv4 address delivered to.
            ("::ffff:127.0.0.1", false),
            ("::ffff:10.0.0.1", false),
            ("::ffff:8.8.8.8", true),
            ("64:ff9b::7f00:1", false),
            ("64:ff9b::a9fe:a9fe", false),
            ("64:ff9b::808:808", true),
            ("2002:7f00:1::", false),
            ("2002:c0a8:101::1", false),
            ("2002:a9fe:a9fe::", false),
            ("2002:808:808::1", true),
        ];
        for (ip, global) in table {
            assert_eq!(is_public(ip.parse().unwrap()), *global, "{ip}");
        }
    }

    #[test]
    fn a_url_must_be_http_with_a_host_and_not_a_private_literal_unless_allowed() {
        assert!(check_url("https://hooks.example.gov.uk/canvass", false).is_ok());
        for bad in ["", "not a url", "ftp://example.gov.uk/x", "mailto:someone@example.gov.uk", "file:///etc/passwd"] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        let refused = check_url("http://127.0.0.1:8080/hook", false).unwrap_err();
        assert!(refused.contains("--allow-private-webhooks"), "{refused}");
        for literal in [
            "http://[::1]/hook",
            "http://[::127.0.0.1]/",
            "http://[64:ff9b::7f00:1]/",
            "http://[2002:7f00:1::]/",
            "http://[fec0::1]/",
            "http://192.0.0.8/",
            "http://2130706433/",
            "http://0x7f.1/",
        ] {
            assert!(check_url(literal, false).is_err(), "{literal}");
        }
        assert!(check_url("http://169.254.169.254/latest/meta-data", false).is_err());
        assert!(check_url("http://127.0.0.1:8080/hook", true).is_ok());
        assert!(check_url(&format!("https://example.gov.uk/{}", "a".repeat(2100)), false).unwrap_err().contains("the most is"));
    }

    #[test]
    fn a_webhook_proxy_is_an_http_url_with_a_host() {
        assert_eq!(parse_proxy("http://proxy.example.gov.uk:3128").unwrap().port(), Some(3128));
        assert!(parse_proxy("https://10.0.0.5:8443").is_ok(), "an operator's proxy may be on their own network");
        for bad in ["", "proxy:3128", "socks5://proxy:1080", "file:///tmp/proxy"] {
            assert!(parse_proxy(bad).unwrap_err().contains("http://proxy.example.gov.uk:3128"), "{bad}");
        }
    }
}
