//! The shared table of email inputs: where the browser's light check and the server's
//! full check agree, and where the server is stricter. The browser must never refuse an
//! address the server accepts.

use canvass::{is_email, is_email_light};
use proptest::prelude::*;

/// (input, server accepts, browser accepts)
const TABLE: &[(&str, bool, bool)] = &[
    ("name@example.org", true, true),
    ("first.last+tag@sub.example.co.uk", true, true),
    ("  padded@example.org  ", true, true),
    ("UPPER@EXAMPLE.ORG", true, true),
    ("o'brien@council.gov.uk", true, true),
    ("user@localhost", true, true),
    ("name@münchen.de", true, true),
    ("name@[127.0.0.1]", true, true),
    // IDNA turns "ü-" into "xn---tda", a valid label: a trailing hyphen is fine before conversion.
    ("!@ü-", true, true),
    ("name@[IPv6:::1]", false, false),
    ("", false, false),
    ("plainaddress", false, false),
    ("@example.org", false, false),
    ("name@", false, false),
    ("name@-example.org", false, false),
    ("name@example-.org", false, false),
    ("name@exa mple.org", false, false),
    ("na me@example.org", false, false),
    ("name@example..org", false, false),
    ("name(comment)@example.org", false, false),
    // Where the server is stricter: it parses the address literal and converts the
    // internationalised domain, which the browser only checks for shape.
    ("name@[999.1.1.1]", false, true),
    ("name@[1.2.3]", false, true),
    ("name@a\u{FFFF}b.org", false, true),
];

#[test]
fn the_shared_table_holds_for_both_checks() {
    for (input, server, browser) in TABLE {
        assert_eq!(is_email(input), *server, "server check of {input:?}");
        assert_eq!(is_email_light(input), *browser, "browser check of {input:?}");
    }
}

#[test]
fn every_address_in_the_table_the_server_accepts_the_browser_accepts() {
    for (input, server, _) in TABLE {
        if *server {
            assert!(is_email_light(input), "{input:?}");
        }
    }
}

proptest! {
    #[test]
    fn the_browser_never_refuses_what_the_server_accepts(
        user in "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~ ()\\[\\]@-]{0,70}",
        domain in "[a-zA-Z0-9.\\[\\]:ü -]{0,70}",
    ) {
        let address = format!("{user}@{domain}");
        if is_email(&address) {
            prop_assert!(is_email_light(&address), "{address:?}");
        }
    }
}
