//! Where a webhook may be sent. A URL an organiser types is a request the server makes
//! from inside the organisation's network, so by default only public addresses are
//! reached: an IP literal is checked when the endpoint is added and at every send, and a
//! host name is checked on every resolution (so a name that later points inside is
//! refused then). `--allow-private-webhooks` lifts this for a receiver on the local
//! network. Redirects are never followed (a public receiver could point inside).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The longest URL accepted.
const MAX_URL: usize = 2000;

/// Whether an address is on the public internet: not loopback, private, link-local
/// (where cloud metadata services answer), shared (CGNAT), unspecified, broadcast,
/// multicast or set aside for documentation.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
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
        "{address} is a private, loopback or link-local address, and webhooks are only sent to public addresses. \
         To send to a receiver on your own network, start the server (and run this command) with --allow-private-webhooks."
    )
}

/// The resolver the webhook client uses when private targets are not allowed: a name
/// resolving to any non-public address is refused, so no request is ever made to it.
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
    fn private_loopback_and_metadata_addresses_are_not_public() {
        for ip in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "255.255.255.255"] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["81.2.69.160", "8.8.8.8", "2a00:1450:4009:81f::200e"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
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
        assert!(check_url("http://[::1]/hook", false).is_err());
        assert!(check_url("http://169.254.169.254/latest/meta-data", false).is_err());
        assert!(check_url("http://127.0.0.1:8080/hook", true).is_ok());
        assert!(check_url(&format!("https://example.gov.uk/{}", "a".repeat(2100)), false).unwrap_err().contains("the most is"));
    }
}
