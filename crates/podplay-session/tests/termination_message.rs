//! The kubelet's termination message limits (pkg/kubelet/container's
//! `MaxContainerTerminationMessageLength`, `MaxContainerTerminationMessageLogLength`,
//! `MaxContainerTerminationMessageLogLines`, `MaxPodTerminationMessageLogLength`) on containers
//! that write more than they allow.

mod e2e_support;

use e2e_support::create;
use podplay_core::clock::SECOND;

/// The terminated states' messages of the pod `p` of `containers` (each `(name, script, policy)`)
/// once they have all exited.
fn messages(containers: &[(&str, &str, &str)]) -> Vec<(String, String)> {
    let mut text = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Never\n  containers:\n");
    for (name, script, policy) in containers {
        text += &format!(
            "  - name: {name}\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", {script:?}]\n    terminationMessagePolicy: {policy}\n"
        );
    }
    let mut s = create(&text);
    s.seek(30 * SECOND);
    let p = s.engine().pod("default", "p").expect("the pod");
    p.status
        .container_statuses
        .iter()
        .map(|c| {
            let t = c.state.terminated.as_ref().unwrap_or_else(|| panic!("{} has exited: {:?}", c.name, c.state));
            (c.name.clone(), t.message.clone().unwrap_or_default())
        })
        .collect()
}

#[test]
fn a_file_gives_its_last_4_kib() {
    let script = "yes x | head -c 1000 > /dev/termination-log; yes y | head -c 4096 >> /dev/termination-log";
    let got = messages(&[("c", script, "File")]);
    assert_eq!(got, [("c".to_string(), "y\n".repeat(2048))]);
}

#[test]
fn a_pod_s_messages_share_12_kib() {
    let script = "yes z | head -c 4096 > /dev/termination-log";
    let got = messages(&[("a", script, "File"), ("b", script, "File"), ("c", script, "File"), ("d", script, "File")]);
    for (name, message) in got {
        assert_eq!(message, "z\n".repeat(1536), "{name}: 12 KiB over 4 containers is 3 KiB each");
    }
}

#[test]
fn the_log_gives_its_last_80_lines_and_at_most_2_kib() {
    let short = "seq 1 100; exit 1";
    let long = "for i in $(seq 1 100); do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxx; done; exit 1";
    let got = messages(&[("long", long, "FallbackToLogsOnError"), ("short", short, "FallbackToLogsOnError")]);
    let lines = |from: u32, to: u32, f: &dyn Fn(u32) -> String| (from..=to).map(f).collect::<String>();
    let all_long = lines(21, 100, &|i| format!("line-{i}-xxxxxxxxxxxxxxxxxxxxxxxx\n"));
    assert_eq!(got[0], ("long".to_string(), all_long[all_long.len() - 2048..].to_string()));
    assert_eq!(got[1], ("short".to_string(), lines(21, 100, &|i| format!("{i}\n"))));
}

#[test]
fn a_successful_container_does_not_fall_back_to_its_log() {
    let got =
        messages(&[("ok", "echo hello", "FallbackToLogsOnError"), ("file", "echo hello; echo -n bye > /dev/termination-log", "File")]);
    assert_eq!(got, [("file".to_string(), "bye".to_string()), ("ok".to_string(), String::new())]);
}
