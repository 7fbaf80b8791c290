//! Author-defined images (`podplay.dev/v1alpha1` `Image` documents): what the scenario's
//! author wrote about the program, played back on the virtual clock.

use crate::applets::Applet;
use crate::io::Stream;
use crate::programs::{Action, Prog, ProgKind};
use crate::types::Millis;
use crate::world::World;

pub(crate) fn start_author(w: &mut World, image: &str, now: Millis) -> Applet {
    let Some(def) = w.authors.get(image).cloned() else {
        return Applet::Exit(127);
    };
    let mut tl: Vec<(Millis, Action)> = Vec::new();
    for (off, line) in &def.startup_output {
        tl.push((now + off, Action::Log(Stream::Stdout, line.clone())));
    }
    for p in &def.ports {
        tl.push((now + def.listen_delay_ms, Action::Listen(*p)));
    }
    for (off, bytes) in &def.memory {
        tl.push((now + off, Action::Memory(*bytes)));
    }
    if let Some((off, code)) = def.exit_after {
        tl.push((now + off, Action::Exit(code)));
    }
    Applet::Program(Prog::new(
        ProgKind::Author { image: image.to_string(), rules: def.http_rules.clone(), signals: def.signals.clone() },
        now,
        tl,
    ))
}
