//! busybox's walk of an applet's short options (`getopt32` over libc's `getopt`): clustered
//! letters (`-sk`), a letter that takes an argument taking the rest of its word (`-d1`) or the
//! next word (`-d 1`), options anywhere among the operands (GNU getopt permutes them), and
//! everything after `--` an operand. A lone `-` is an operand (stdin).

/// One step of the walk, in the order of the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Arg<'a> {
    /// A letter, with its argument for a letter that takes one.
    Opt(u8, Option<&'a str>),
    /// A letter that takes an argument, at the end of the words with none.
    Missing(u8),
    Operand(&'a str),
}

/// The walk of `argv[1..]`; the letters in `with_arg` take an argument.
pub(super) fn short_options<'a>(argv: &'a [String], with_arg: &[u8]) -> Vec<Arg<'a>> {
    let mut out = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        if a == "--" {
            out.extend(argv[i + 1..].iter().map(|o| Arg::Operand(o.as_str())));
            break;
        }
        if a.len() < 2 || !a.starts_with('-') {
            out.push(Arg::Operand(a));
            i += 1;
            continue;
        }
        for (k, letter) in a.bytes().enumerate().skip(1) {
            if !with_arg.contains(&letter) {
                out.push(Arg::Opt(letter, None));
                continue;
            }
            if k + 1 < a.len() {
                out.push(Arg::Opt(letter, Some(&a[k + 1..])));
            } else {
                i += 1;
                out.push(argv.get(i).map_or(Arg::Missing(letter), |v| Arg::Opt(letter, Some(v.as_str()))));
            }
            break;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clustered_letters_arguments_operands_and_the_double_dash() {
        let argv: Vec<String> = ["du", "-sk", "a", "-d1", "-d", "2", "-", "--", "-x"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            short_options(&argv, b"d"),
            [
                Arg::Opt(b's', None),
                Arg::Opt(b'k', None),
                Arg::Operand("a"),
                Arg::Opt(b'd', Some("1")),
                Arg::Opt(b'd', Some("2")),
                Arg::Operand("-"),
                Arg::Operand("-x"),
            ]
        );
        let argv: Vec<String> = ["stat", "-tc"].iter().map(|s| s.to_string()).collect();
        assert_eq!(short_options(&argv, b"c"), [Arg::Opt(b't', None), Arg::Missing(b'c')]);
    }
}
