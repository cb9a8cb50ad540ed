//! The address respondents and organisers reach Canvass at (`--public-url`), the one
//! source of every absolute link the server makes.
//!
//! Building links from the request's `Host` header would let anyone who can send a
//! request choose where a link points (`Host: evil.example` gives a resume link to
//! evil.example); building them from configuration cannot.

use std::net::SocketAddr;

/// An origin: `scheme://host[:port]`, lower case, without a default port or a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    origin: String,
}

impl PublicUrl {
    /// Reads `--public-url`: `http://` or `https://`, a host, an optional port, nothing
    /// after (a path, a query) since Canvass serves from the root of its address.
    pub fn parse(text: &str) -> Result<PublicUrl, String> {
        let wrong =
            |why: &str| format!("`{text}` is not a public URL Canvass can use: {why}. Give the address people open, e.g. https://surveys.example.gov.uk");
        let url = url::Url::parse(text.trim()).map_err(|e| wrong(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(wrong("it must start with http:// or https://"));
        }
        let Some(host) = url.host_str() else { return Err(wrong("it has no host name")) };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(wrong("it must not hold a user name or password"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(wrong("Canvass is served from the root of its address, so leave out any path, ? or #"));
        }
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        Ok(PublicUrl { origin: format!("{}://{host}{port}", url.scheme()) })
    }

    /// The address a server listening on `addr` is reached at on this machine, when no
    /// public URL is given: `http://127.0.0.1:3000`, or `http://localhost:PORT` for a
    /// server listening on every interface.
    pub fn from_listen(addr: SocketAddr) -> PublicUrl {
        let host = if addr.ip().is_unspecified() {
            "localhost".to_string()
        } else if addr.is_ipv6() {
            format!("[{}]", addr.ip())
        } else {
            addr.ip().to_string()
        };
        let port = if addr.port() == 80 { String::new() } else { format!(":{}", addr.port()) };
        PublicUrl { origin: format!("http://{host}{port}") }
    }

    /// `scheme://host[:port]`, to put a path after.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn is_https(&self) -> bool {
        self.origin.starts_with("https://")
    }
}

impl std::fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_is_kept_as_its_origin() {
        assert_eq!(PublicUrl::parse("https://Surveys.Example.gov.uk/").unwrap().origin(), "https://surveys.example.gov.uk");
        assert_eq!(PublicUrl::parse("https://a.example:443").unwrap().origin(), "https://a.example");
        assert_eq!(PublicUrl::parse("http://a.example:8080").unwrap().origin(), "http://a.example:8080");
    }

    #[test]
    fn a_public_url_that_cannot_be_an_origin_is_refused_with_the_reason() {
        for (text, reason) in [
            ("surveys.example.gov.uk", "relative URL without a base"),
            ("ftp://a.example", "http:// or https://"),
            ("https://a.example/surveys", "leave out any path"),
            ("https://a.example/?x=1", "leave out any path"),
            ("https://user:pw@a.example", "user name or password"),
        ] {
            let error = PublicUrl::parse(text).unwrap_err();
            assert!(error.contains(reason) && error.contains("e.g. https://"), "{text}: {error}");
        }
    }

    #[test]
    fn without_one_links_use_the_listen_address() {
        assert_eq!(PublicUrl::from_listen("127.0.0.1:3000".parse().unwrap()).origin(), "http://127.0.0.1:3000");
        assert_eq!(PublicUrl::from_listen("0.0.0.0:8080".parse().unwrap()).origin(), "http://localhost:8080");
        assert_eq!(PublicUrl::from_listen("[::1]:3000".parse().unwrap()).origin(), "http://[::1]:3000");
    }
}
