//! busybox `hexdump` (util-linux/hexdump.c over libbb/dump.c), its canonical display only:
//! `hexdump -C [-v] [FILE]...`. The files are read as one stream (dump.c's `next` moves to the
//! next file when one ends; one that cannot be opened is `hexdump: FILE: ERROR`, exit 1), 16
//! bytes a line in `-C`'s three format strings:
//!
//! ```text
//! "%08.8_Ax\n"                                 the final address line
//! "%08.8_ax  " 8/1 "%02x " "  " 8/1 "%02x "    address, two groups of eight bytes
//! "  |" 16/1 "%_p" "|\n"                        the bytes as text, `.` unless printable
//! ```
//!
//! A unit's trailing space is dropped on its last iteration (`nospace`), so eight bytes are
//! `xx xx ... xx` and the groups are two spaces apart. Past the end of the data the byte units
//! are padded to their width (`bpad`: `%02x ` becomes `%2s `, three spaces) and the text units
//! print nothing. A line the same as the one before (the last, shorter one against the same
//! length of it) is squeezed into one `*` line unless `-v`. Nothing at all is printed for no
//! data. The other display options (`-b`, `-c`, `-d`, `-o`, `-x`, `-e`, `-f`, `-n`, `-s`) end
//! with a podplay error.

use super::files::read_input;
use super::*;

/// The canonical (`-C`) display of `data`, squeezing repeated lines unless `verbose`.
pub(crate) fn canonical(data: &[u8], verbose: bool) -> String {
    let mut s = String::new();
    let mut previous: Option<&[u8]> = None;
    let mut squeezed = false;
    for (i, line) in data.chunks(16).enumerate() {
        // dump.c's get(): a block equal to the one before (the last block to as many bytes).
        if !verbose && previous.is_some_and(|p| p[..line.len()] == *line) {
            if !squeezed {
                s.push_str("*\n");
                squeezed = true;
            }
            continue;
        }
        squeezed = false;
        previous = Some(line);
        let _ = write!(s, "{:08x}  ", i * 16);
        for group in 0..2 {
            if group == 1 {
                s.push_str("  ");
            }
            for unit in 0..8 {
                match line.get(group * 8 + unit) {
                    Some(b) => {
                        let _ = write!(s, "{b:02x}");
                    }
                    None => s.push_str("  "),
                }
                if unit < 7 {
                    s.push(' ');
                }
            }
        }
        s.push_str("  |");
        s.extend(line.iter().map(|&b| if (0x20..0x7f).contains(&b) { b as char } else { '.' }));
        s.push_str("|\n");
    }
    if !data.is_empty() {
        let _ = writeln!(s, "{:08x}", data.len());
    }
    s
}

/// `hexdump -C [-v] [FILE]...` (stdin without files).
pub(super) fn hexdump(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, files) = files::flags_and_operands(c.argv);
    if !flags.contains('C') || flags.chars().any(|f| !matches!(f, 'C' | 'v')) {
        err(h, c.fds, "hexdump: podplay's hexdump takes only -C [-v] [FILE]...\n");
        return 1;
    }
    let files = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut data = Vec::new();
    let mut status = 0;
    for f in &files {
        match read_input(h, c, "hexdump", f) {
            Ok(d) => data.extend_from_slice(&d),
            Err(e) => status = e,
        }
    }
    let text = canonical(&data, flags.contains('v'));
    out(h, c.fds, &text);
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_last_line_is_padded_to_the_text_column() {
        let want = "00000000  de ca fe ba d0 fe ff                              |.......|\n00000007\n";
        assert_eq!(canonical(&[0xde, 0xca, 0xfe, 0xba, 0xd0, 0xfe, 0xff], false), want);
    }

    #[test]
    fn full_lines_have_two_groups_and_printable_text() {
        let data: Vec<u8> = (0x41..0x41 + 20).collect();
        let want = "00000000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n\
                    00000010  51 52 53 54                                       |QRST|\n00000014\n";
        assert_eq!(canonical(&data, false), want);
    }

    #[test]
    fn repeated_lines_are_squeezed_unless_verbose() {
        let data = [0u8; 40];
        let line = "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n";
        assert_eq!(canonical(&data, false), format!("{line}*\n00000028\n"));
        let verbose = canonical(&data, true);
        assert_eq!(verbose.lines().count(), 4);
        assert!(verbose.contains("00000020  00 00 00 00 00 00 00 00                           |........|\n"));
    }

    #[test]
    fn no_data_prints_nothing() {
        assert_eq!(canonical(&[], false), "");
    }
}
