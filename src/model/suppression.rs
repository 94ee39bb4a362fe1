//! The suppression list of erased people: a keyed hash of each erased e-mail address, so a
//! re-import does not bring the person back by accident, while the list itself names no one.
//!
//! A plain hash of an address is re-identifiable by anyone with a list of addresses; an
//! HMAC with the register's own random secret is not, and still matches the same address
//! when it comes back in another spelling (case, spaces around it).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// An address as contacts are unique by: what [`crate::model::validate::email`] makes of an
/// accepted address (trimmed, lower-cased), so a suppression matches exactly the addresses
/// that would be duplicates of the erased contact.
pub fn normalise(email: &str) -> String {
    crate::model::casefold(email.trim())
}

/// The suppression key of `email`: HMAC-SHA-256 of its normalised form under the register's
/// secret, as lower-case hex.
pub fn key(secret: &[u8], email: &str) -> String {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of every length"));
    mac.update(normalise(email).as_bytes());
    let bytes = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(64);
    for b in bytes {
        hex.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(b & 0xf)]));
    }
    hex
}

/// Why an address is on the list: when it was erased, and by which request (none when the
/// controller erased it on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub erased_on: String,
    pub request: Option<String>,
}

impl Suppressed {
    /// "erased on 2026-11-20 by request R-2026-0007", or "… by the controller".
    pub fn erased(&self) -> String {
        match &self.request {
            Some(r) => format!("erased on {} by request {r}", self.erased_on),
            None => format!("erased on {} by the controller", self.erased_on),
        }
    }

    /// Why an add or import of the address is refused, with the way out.
    pub fn refusal(&self) -> String {
        format!(
            "{}; add --returning if the person has come back",
            self.erased()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate;

    #[test]
    fn key_is_hmac_sha256_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            {
                let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
                mac.update(b"what do ya want for nothing?");
                let b = mac.finalize().into_bytes();
                b.iter().map(|b| format!("{b:02x}")).collect::<String>()
            },
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let k = key(b"Jefe", "what do ya want for nothing?");
        assert_eq!(
            k,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_same_address_in_another_spelling_has_the_same_key() {
        let secret = [7u8; 32];
        let k = key(&secret, "matti.m@example.fi");
        assert_eq!(key(&secret, " Matti.M@EXAMPLE.fi "), k);
        assert_eq!(
            key(&secret, "ÄIJÄ@esimerkki.fi"),
            key(&secret, "äijä@esimerkki.fi")
        );
        assert_ne!(key(&secret, "matti.n@example.fi"), k);
        // Another register's secret gives another key: the lists cannot be joined.
        assert_ne!(key(&[8u8; 32], "matti.m@example.fi"), k);
        assert_eq!(k.len(), 64);
        assert!(!k.contains("matti"));
    }

    #[test]
    fn normalised_as_contacts_are_unique_by() {
        for raw in [
            " Matti.M@Example.FI ",
            "äijä@esimerkki.fi",
            "ÅSA@Example.com",
            "x@пример.рф",
        ] {
            assert_eq!(normalise(raw), validate::email(raw).unwrap(), "{raw}");
        }
    }

    #[test]
    fn refusal_names_the_date_the_request_and_the_way_back() {
        let by_request = Suppressed {
            erased_on: "2026-11-20".into(),
            request: Some("R-2026-0007".into()),
        };
        assert_eq!(
            by_request.refusal(),
            "erased on 2026-11-20 by request R-2026-0007; add --returning if the person has come back"
        );
        let own = Suppressed {
            erased_on: "2026-11-20".into(),
            request: None,
        };
        assert_eq!(own.erased(), "erased on 2026-11-20 by the controller");
    }
}
