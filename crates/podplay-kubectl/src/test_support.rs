//! What the workload tests share: an engine from a manifest, and kubectl run at a moment.

use podplay_core::clock::Millis;

/// The engine a session would build from `yaml` (one file, `t.yaml`), or its diagnostics.
pub(crate) fn engine_of(yaml: &str) -> Result<podplay_core::Engine, Vec<podplay_core::Diagnostic>> {
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml.into() }]).unwrap();
    crate::new_engine(&m)
}

/// kubectl `args` (split at spaces) once the engine has run to `t`.
pub(crate) fn at(engine: &mut podplay_core::Engine, t: Millis, args: &str) -> crate::Output {
    engine.run_until(t);
    crate::run(engine, &args.split(' ').map(str::to_string).collect::<Vec<_>>())
}

/// kubectl `args` split as a shell would (quotes kept together: `-p '{...}'`) once the engine
/// has run to `t`.
pub(crate) fn quoted_at(engine: &mut podplay_core::Engine, t: Millis, args: &str) -> crate::Output {
    engine.run_until(t);
    let words = crate::split_command_line(args).unwrap();
    crate::run_with(engine, &words, None)
}

/// A kubectl verb that changes the cluster, `args` split at spaces, now.
pub(crate) fn mutate(engine: &mut podplay_core::Engine, args: &str) -> crate::Output {
    crate::mutate::run_mutation(engine, &args.split(' ').collect::<Vec<_>>(), None)
}
