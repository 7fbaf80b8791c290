//! Resource quantities (`100m`, `64Mi`, `1G`, `2`), as `resource.Quantity` parses them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A quantity keeps the text the user wrote (kubectl prints it back as given, in canonical form
/// for common inputs) and its value in milli-units, which is what scheduling compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub text: String,
    pub milli: i128,
}

impl Quantity {
    pub fn parse(text: &str) -> Result<Quantity, String> {
        let t = text.trim();
        let err = || format!("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got {text:?})");
        if t.is_empty() {
            return Err(err());
        }
        let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(t.len());
        let (num, suffix) = t.split_at(split);
        if num.is_empty() || num == "+" || num == "-" {
            return Err(err());
        }
        let value: f64 = num.parse().map_err(|_| err())?;
        let (mult_num, mult_den): (i128, i128) = match suffix {
            "" => (1000, 1),
            "m" => (1, 1),
            "u" => (1, 1000),
            "n" => (1, 1_000_000),
            "k" => (1_000_000, 1),
            "M" => (1_000_000_000, 1),
            "G" => (1_000_000_000_000, 1),
            "T" => (1_000_000_000_000_000, 1),
            "P" => (1_000_000_000_000_000_000, 1),
            "Ki" => (1024 * 1000, 1),
            "Mi" => (1024 * 1024 * 1000, 1),
            "Gi" => (1024 * 1024 * 1024 * 1000, 1),
            "Ti" => (1024i128.pow(4) * 1000, 1),
            "Pi" => (1024i128.pow(5) * 1000, 1),
            s if s.starts_with('e') || s.starts_with('E') => {
                let exp: i32 = s[1..].parse().map_err(|_| err())?;
                let milli = value * 10f64.powi(exp) * 1000.0;
                return Ok(Quantity { text: text.to_string(), milli: milli.ceil() as i128 });
            }
            _ => return Err(err()),
        };
        let milli = (value * mult_num as f64 / mult_den as f64).ceil() as i128;
        Ok(Quantity { text: text.to_string(), milli })
    }

    /// Whole units, rounded up as `Quantity.Value()` does (bytes for memory).
    pub fn value(&self) -> i128 {
        (self.milli + 999).div_euclid(1000)
    }

    /// `Quantity.String()`: the canonical text in the format its suffix gave it (`1.5Gi` is
    /// `1536Mi`, `1000M` is `1G`).
    pub fn canonical(&self) -> String {
        use podplay_k8s_util::quantity::{canonical, Format};
        canonical(self.milli, Format::of_text(&self.text))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A number or a string, read by a visitor (not an untagged enum) so that a wrong value is
/// reported at the field itself, with its path and position.
impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity (a number, or a string such as 100m or 64Mi)")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Quantity, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Quantity, E> {
                match i64::try_from(v) {
                    Ok(i) => self.visit_i64(i),
                    Err(_) => self.visit_f64(v as f64),
                }
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Quantity, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Quantity, E> {
                Quantity::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parses_common_forms() {
        assert_eq!(Quantity::parse("100m").unwrap().milli, 100);
        assert_eq!(Quantity::parse("1").unwrap().milli, 1000);
        assert_eq!(Quantity::parse("0.5").unwrap().milli, 500);
        assert_eq!(Quantity::parse("64Mi").unwrap().value(), 64 * 1024 * 1024);
        assert_eq!(Quantity::parse("1G").unwrap().value(), 1_000_000_000);
        assert_eq!(Quantity::parse("1e3").unwrap().value(), 1000);
        assert!(Quantity::parse("lots").is_err());
        assert!(Quantity::parse("1Qi").is_err());
    }
}
