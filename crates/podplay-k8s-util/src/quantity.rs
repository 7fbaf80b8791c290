//! `resource.Quantity.String()` (apimachinery `pkg/api/resource/quantity.go` `CanonicalizeBytes`,
//! `amount.go` `AsCanonicalBytes` / `AsCanonicalBase1024Bytes`): the canonical text of a value
//! in its format. `BinarySI` picks the largest power of 1024 that divides the value (`100Mi`,
//! `1536Mi`, a plain number when none does or below 1024); `DecimalSI` a power of 1000 (`1G`,
//! `1500k`, `100m`); `DecimalExponent` `e` notation. What the kubelet prints in its eviction
//! messages (`exceeds the limit "100Mi"`, `available: 1883424Ki`).

/// A quantity's format: from its suffix when parsed (`Mi` binary, `M` or none decimal, `e3`
/// exponent), `BinarySI` for bytes the kubelet measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    BinarySI,
    DecimalSI,
    DecimalExponent,
}

impl Format {
    /// The format `resource.ParseQuantity` gives a text (by its suffix).
    pub fn of_text(text: &str) -> Format {
        let t = text.trim();
        let suffix = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '+' || c == '-');
        if suffix.ends_with('i') {
            Format::BinarySI
        } else if suffix.starts_with('e') || suffix.starts_with('E') {
            Format::DecimalExponent
        } else {
            Format::DecimalSI
        }
    }
}

/// Strips factors of `base` from `value`: (what is left, how many).
fn remove_factors(mut value: i128, base: i128) -> (i128, i32) {
    let mut times = 0;
    if value == 0 {
        return (0, 0);
    }
    while value % base == 0 {
        value /= base;
        times += 1;
    }
    (value, times)
}

/// The canonical text of `milli` thousandths of a unit in `format` (`Quantity.String()`).
pub fn canonical(milli: i128, format: Format) -> String {
    if milli == 0 {
        return "0".into();
    }
    let mut format = format;
    if format == Format::BinarySI && (milli > -1024 * 1000 && milli < 1024 * 1000 || milli % 1000 != 0) {
        // Small values, and values with a fraction, as DecimalSI (no rounding).
        format = Format::DecimalSI;
    }
    match format {
        Format::BinarySI => {
            let (amount, times) = remove_factors(milli / 1000, 1024);
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][times.min(6) as usize];
            let amount = amount * 1024i128.pow((times - times.min(6)) as u32);
            format!("{amount}{suffix}")
        }
        Format::DecimalSI | Format::DecimalExponent => {
            let (mut amount, times) = remove_factors(milli, 10);
            let mut exponent = times - 3;
            match exponent.rem_euclid(3) {
                1 => {
                    amount *= 10;
                    exponent -= 1;
                }
                2 => {
                    amount *= 100;
                    exponent -= 2;
                }
                _ => {}
            }
            if format == Format::DecimalExponent {
                return if exponent == 0 { amount.to_string() } else { format!("{amount}e{exponent}") };
            }
            let suffix = match exponent {
                -9 => "n",
                -6 => "u",
                -3 => "m",
                0 => "",
                3 => "k",
                6 => "M",
                9 => "G",
                12 => "T",
                15 => "P",
                18 => "E",
                e => return format!("{amount}e{e}"),
            };
            format!("{amount}{suffix}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_go_prints_them() {
        let b = |bytes: i128| canonical(bytes * 1000, Format::BinarySI);
        assert_eq!(b(100 << 20), "100Mi");
        assert_eq!(b(1536 << 20), "1536Mi");
        assert_eq!(b(1 << 30), "1Gi");
        assert_eq!(b(2_146_223_340), "2146223340");
        assert_eq!(b(1_883_424 * 1024), "1883424Ki");
        assert_eq!(b(512), "512");
        assert_eq!(b(1024), "1Ki");
        assert_eq!(b(0), "0");
        let d = |milli: i128| canonical(milli, Format::DecimalSI);
        assert_eq!(d(1_000_000_000_000), "1G");
        assert_eq!(d(1_500_000_000), "1500k");
        assert_eq!(d(500_000_000_000), "500M");
        assert_eq!(d(100), "100m");
        assert_eq!(d(1000), "1");
        assert_eq!(d(1_500), "1500m");
        assert_eq!(canonical(1_000_000, Format::DecimalExponent), "1e3");
        assert_eq!(Format::of_text("100Mi"), Format::BinarySI);
        assert_eq!(Format::of_text("1G"), Format::DecimalSI);
        assert_eq!(Format::of_text("2"), Format::DecimalSI);
        assert_eq!(Format::of_text("1e3"), Format::DecimalExponent);
    }
}
