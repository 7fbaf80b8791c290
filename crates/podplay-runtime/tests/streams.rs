//! Programs that write as fast as they can (`yes`, `cat /dev/zero`, `dd`, `head -c`): their
//! output worked out from the time, files of zeros kept by size, disks that fill.

mod common;
use common::*;
use podplay_runtime::*;

fn memory_pod(rt: &mut Runtime, size: u64) -> SandboxId {
    rt.run_sandbox(
        0,
        SandboxConfig {
            name: "tmp".into(),
            namespace: "default".into(),
            uid: "uid-2".into(),
            hostname: "tmp".into(),
            pod_ip: "10.244.0.40".into(),
            volumes: vec![VolumeSpec { name: "shared".into(), source: VolumeSource::Memory(Some(size)), owned: true }],
            ..Default::default()
        },
    )
}

#[test]
fn yes_into_the_log_for_an_hour_is_arithmetic() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "yes", "10.244.0.30");
    let c = container(&mut rt, sb, "busybox", &["yes"], &[]);
    rt.start_container(0, c).unwrap();
    for t in (10_000..=3_600_000).step_by(10_000) {
        rt.set_order_point(OrderPoint { at: t, rank: 0 });
        rt.advance(t);
        rt.settle_standing();
    }
    // Millions of lines since the last rotation, kept as a few cycles of records.
    assert!(rt.log_entries(c) <= 4, "{} entries", rt.log_entries(c));
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }), "yes runs until stopped");
    let tail = rt.logs_tail(c, Some(3));
    assert_eq!(tail.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["y", "y", "y"]);
    assert!(tail.iter().all(|l| l.at == 3_600_000 - 2 || l.at <= 3_600_000), "{tail:?}");
    // The kubelet rotated the file at the pass at 1 h: only lines written since are current.
    let storage = rt.pod_storage(3_600_000, sb);
    assert!(storage.containers[0].logs > 100 << 20, "{storage:?}");
}

#[test]
fn yes_into_a_pipe_stops_when_the_reader_goes() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "pipe", "10.244.0.31");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(exec(&mut rt, 10, c, &["sh", "-c", "yes | head -n 3"]), ("y\ny\ny\n".into(), 0));
    assert_eq!(exec(&mut rt, 10, c, &["sh", "-c", "yes hello world | head -n 2"]), ("hello world\nhello world\n".into(), 0));
    assert_eq!(exec(&mut rt, 10, c, &["sh", "-c", "set -o pipefail; yes | head -n 1; echo $?"]), ("y\n141\n".into(), 0));
}

#[test]
fn dd_writes_a_file_of_zeros_by_size() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "dd", "10.244.0.32");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    let (out, code) = exec(&mut rt, 10, c, &["dd", "if=/dev/zero", "of=/shared/f", "bs=1M", "count=100"]);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(&lines[..2], ["100+0 records in", "100+0 records out"]);
    assert!(lines[2].starts_with("104857600 bytes (100.0MB) copied, 0.05") && lines[2].ends_with("GB/s"), "{out}");
    let (ls, _) = exec(&mut rt, 100, c, &["ls", "-l", "/shared/f"]);
    assert!(ls.contains(" 104857600 "), "{ls}");
    assert_eq!(rt.pod_storage(100, sb).volumes, [("shared".to_string(), 104857600 + 4096)]);
    // A short one is written at once.
    let (out, _) = exec(&mut rt, 200, c, &["dd", "if=/dev/zero", "of=/shared/g", "bs=1k", "count=3"]);
    assert!(out.starts_with("3+0 records in\n3+0 records out\n3072 bytes (3.0KB) copied, "), "{out}");
    assert_eq!(exec(&mut rt, 300, c, &["sh", "-c", "head -c 5000000 /dev/zero > /shared/h; wc -c /shared/h"]).0, "5000000 /shared/h\n");
    // Bad operands.
    let (out, code) = exec(&mut rt, 300, c, &["dd", "count=x"]);
    assert_eq!((out.as_str(), code), ("dd: invalid number 'x'\n", 1));
}

#[test]
fn dd_fills_a_sized_tmpfs_and_says_so() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = memory_pod(&mut rt, 64 << 20);
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "dd if=/dev/zero of=/shared/fill bs=1M; echo $?; sleep 3600"], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(10_000);
    let log = log_text(&rt, c);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(&lines[..3], ["dd: error writing '/shared/fill': No space left on device", "65+0 records in", "64+0 records out"], "{log}");
    assert!(lines[3].starts_with("67108864 bytes (64.0MB) copied, 0.03"), "{log}");
    assert_eq!(lines[4], "1");
}

#[test]
fn cat_of_dev_zero_grows_its_file_until_stopped() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "cat", "10.244.0.33");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "cat /dev/zero > /shared/zeros"], &[]);
    rt.start_container(0, c).unwrap();
    let used = |rt: &mut Runtime, t| rt.pod_storage(t, sb).volumes[0].1;
    let (a, b) = (used(&mut rt, 1_000), used(&mut rt, 2_000));
    assert!(a > 400 << 20 && b > a + (400 << 20), "{a} {b}");
    let (cap, disk_used, writers) = rt.node_disk_usage(2_000, 0);
    assert_eq!(writers, 1);
    assert_eq!(disk_used, RuntimeConfig::default().node_disk_used + b - 4096, "the volume's directory was there before");
    assert!(cap > disk_used);
    rt.stop_container(2_000, c, 0);
    assert_eq!(used(&mut rt, 5_000), b, "nothing more after the kill");
    rt.remove_pod_storage(5_000, sb);
    assert_eq!(rt.node_disk_usage(5_000, 0).1, RuntimeConfig::default().node_disk_used);
}

#[test]
fn readers_of_the_zero_device_never_finish() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "wc", "10.244.0.34");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    assert!(matches!(rt.exec_sync(10, c, &s(&["wc", "-c", "/dev/zero"]), Some(2_000)), ExecOutcome::TimedOut { .. }));
}

/// containerd's redirectLogs reads through a 16 KiB buffer: output that never ends a line is
/// written as it outgrows it, in records of 16 KiB tagged partial, each stamped when read
/// (not held back until a line end that never comes).
#[test]
fn output_without_line_ends_goes_out_in_partial_records_of_16_kib() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "printf", "10.244.0.33");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do printf a=b; done"], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(5_000);
    let records = rt.logs_tail(c, None);
    assert!(records.len() > 3, "{} records", records.len());
    assert!(records.iter().all(|r| r.partial && r.text.len() == 16 << 10), "every record is a full 16 KiB partial one");
    assert!(records.windows(2).all(|w| w[0].at <= w[1].at) && records[0].at < records[records.len() - 1].at);
    let text: String = records.iter().map(|r| r.text.as_str()).collect();
    assert!(text.starts_with("a=ba=b") && text.as_bytes().chunks(3).all(|c| "a=b".as_bytes().starts_with(c)));
}
