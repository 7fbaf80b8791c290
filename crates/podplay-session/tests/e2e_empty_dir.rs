//! Kubernetes' own e2e tests of emptyDir volumes (`test/e2e/common/storage/empty_dir.go`,
//! `[sig-storage] EmptyDir volumes`, as stored at 008b3652), ported: the same names, objects
//! and assertions; the e2e's waits (`TestContainerOutput`: the pod's success within
//! `f.Timeouts.PodStart`, then each expected line a substring of its container's log;
//! `CreateSync` and `WaitForPodNameRunningInNamespace` over `framework.PodStartTimeout`) as
//! seeks of virtual time. Pods are created at time 0; names carry a fixed UUID; the framework's
//! namespace is `default`. The images are those of that commit's `test/utils/image`:
//! agnhost 2.63.0 and the e2e busybox 1.37.0-1.
//!
//! `testPodWithVolume`'s agnhost runs `mounttest` (`mt.go`, umask 0): `--fs_type` is
//! `statfs(2)`'s type (`tmpfs` for a `medium: Memory` emptyDir; the e2e checks no type for
//! the default medium), `--new_file_0NNN` writes a file of exactly that mode and reads it
//! back, `--file_perm`/`--file_mode` are Go's `FileMode` strings and `--file_owner` the
//! `stat(2)` owner. The non-root tests run as uid 1001 (`runAsUser`, no group: gid 0); the
//! fsGroup ones check the kubelet's `SetVolumeOwnership` (the group on the volume, set-group-ID
//! so a new file takes it) and its `SafeMakeDir` of a missing `subPath` (the volume root's
//! mode, tmpfs's sticky bit included).

mod e2e_support;

use e2e_support::{create, create_sync, kubectl, list, test_container_output, wait_for_pod_running, POD_START_TIMEOUT};
use podplay_session::Session;

const UUID: &str = "5b0e8c3d-2f64-4a1e-9d7b-83c6f1a0e924";
/// `imageutils.GetE2EImage(imageutils.Agnhost)` at 008b3652.
const AGNHOST: &str = "registry.k8s.io/e2e-test-images/agnhost:2.63.0";
/// `imageutils.GetE2EImage(imageutils.BusyBox)` at 008b3652.
const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.37.0-1";
/// `e2epod.InfiniteSleepCommand`.
const INFINITE_SLEEP_COMMAND: &str = "trap exit TERM; while true; do sleep 1; done";

const VOLUME_PATH: &str = "/test-volume";
/// `nonRootUID`.
const NON_ROOT_UID: i64 = 1001;
const CONTAINER_NAME: &str = "test-container";
const VOLUME_NAME: &str = "test-volume";

/// `v1.StorageMedium`: the node's default, or `Memory`.
#[derive(Clone, Copy, PartialEq)]
enum Medium {
    Default,
    Memory,
}

/// `testPodWithVolume`: agnhost with the emptyDir of `medium` at `path`, `args`, as `uid`
/// unless 0, with `fs_group` when given and the mount's `sub_path` when given.
fn test_pod_with_volume(uid: i64, path: &str, medium: Medium, args: &[&str], fs_group: Option<i64>, sub_path: Option<&str>) -> String {
    let pod_name = format!("pod-{UUID}");
    let source = match medium {
        Medium::Default => "{}",
        Medium::Memory => "{medium: Memory}",
    };
    let sub_path = sub_path.map(|p| format!("\n      subPath: {p}")).unwrap_or_default();
    let mut security = String::from("\n    seLinuxOptions: {level: s0}");
    if uid != 0 {
        security += &format!("\n    runAsUser: {uid}");
    }
    if let Some(g) = fs_group {
        security += &format!("\n    fsGroup: {g}");
    }
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {pod_name}
spec:
  containers:
  - name: {CONTAINER_NAME}
    image: {AGNHOST}
    args: {args}
    volumeMounts:
    - name: {VOLUME_NAME}
      mountPath: {path}{sub_path}
  securityContext:{security}
  restartPolicy: Never
  volumes:
  - name: {VOLUME_NAME}
    emptyDir: {source}
",
        args = list(args)
    )
}

/// `e2epodoutput.TestContainerOutput(ctx, f, msg, pod, 0, out)`, with the tmpfs line
/// `formatMedium`'s tests add for the Memory medium.
fn test_container_output_of(pod: &str, medium: Medium, mut out: Vec<&str>) -> Session {
    if medium == Medium::Memory {
        out.push("mount type of \"/test-volume\": tmpfs");
    }
    test_container_output(pod, &format!("pod-{UUID}"), CONTAINER_NAME, &out)
}

fn fs_type_arg() -> String {
    format!("--fs_type={VOLUME_PATH}")
}

/// `doTestSetgidFSGroup`: a new 0660 file in the volume of `fsGroup: 123` is the group's.
fn do_test_setgid_fs_group(uid: i64, medium: Medium) -> Session {
    let file_path = format!("{VOLUME_PATH}/test-file");
    let args = [
        "mounttest",
        &fs_type_arg(),
        &format!("--new_file_0660={file_path}"),
        &format!("--file_perm={file_path}"),
        &format!("--file_owner={file_path}"),
    ];
    let pod = test_pod_with_volume(uid, VOLUME_PATH, medium, &args, Some(123), None);
    let out = vec![
        "perms of file \"/test-volume/test-file\": -rw-rw----",
        "content of file \"/test-volume/test-file\": mount-tester new file",
        "owner GID of \"/test-volume/test-file\": 123",
    ];
    test_container_output_of(&pod, medium, out)
}

/// `doTestSubPathFSGroup`: the kubelet makes the missing `subPath` `test-sub` with the volume
/// root's mode and the fsGroup.
fn do_test_sub_path_fs_group(uid: i64, medium: Medium) -> Session {
    let args = [
        "mounttest",
        &fs_type_arg(),
        &format!("--file_perm={VOLUME_PATH}"),
        &format!("--file_owner={VOLUME_PATH}"),
        &format!("--file_mode={VOLUME_PATH}"),
    ];
    let pod = test_pod_with_volume(uid, VOLUME_PATH, medium, &args, Some(123), Some("test-sub"));
    let out = vec![
        "perms of file \"/test-volume\": -rwxrwxrwx",
        "owner UID of \"/test-volume\": 0",
        "owner GID of \"/test-volume\": 123",
        "mode of file \"/test-volume\": dgtrwxrwxrwx",
    ];
    test_container_output_of(&pod, medium, out)
}

/// `doTestVolumeModeFSGroup`.
fn do_test_volume_mode_fs_group(uid: i64, medium: Medium) -> Session {
    let args = ["mounttest", &fs_type_arg(), &format!("--file_perm={VOLUME_PATH}")];
    let pod = test_pod_with_volume(uid, VOLUME_PATH, medium, &args, Some(1001), None);
    test_container_output_of(&pod, medium, vec!["perms of file \"/test-volume\": -rwxrwxrwx"])
}

/// `doTest0644FSGroup`.
fn do_test_0644_fs_group(uid: i64, medium: Medium) -> Session {
    let file_path = format!("{VOLUME_PATH}/test-file");
    let args = ["mounttest", &fs_type_arg(), &format!("--new_file_0644={file_path}"), &format!("--file_perm={file_path}")];
    let pod = test_pod_with_volume(uid, VOLUME_PATH, medium, &args, Some(123), None);
    let out =
        vec!["perms of file \"/test-volume/test-file\": -rw-r--r--", "content of file \"/test-volume/test-file\": mount-tester new file"];
    test_container_output_of(&pod, medium, out)
}

/// `doTestVolumeMode`.
fn do_test_volume_mode(uid: i64, medium: Medium) -> Session {
    let args = ["mounttest", &fs_type_arg(), &format!("--file_perm={VOLUME_PATH}")];
    let pod = test_pod_with_volume(uid, VOLUME_PATH, medium, &args, None, None);
    test_container_output_of(&pod, medium, vec!["perms of file \"/test-volume\": -rwxrwxrwx"])
}

/// `doTest0644`, `doTest0666` and `doTest0777`: a new file of `mode` (`--new_file_0NNN`) has
/// `perms` and reads back.
fn do_test_new_file(uid: i64, medium: Medium, mode: &str, perms: &str) -> Session {
    let file_path = format!("{VOLUME_PATH}/test-file");
    let args = ["mounttest", &fs_type_arg(), &format!("--new_file_{mode}={file_path}"), &format!("--file_perm={file_path}")];
    let pod = test_pod_with_volume(uid, VOLUME_PATH, medium, &args, None, None);
    let perms_line = format!("perms of file \"/test-volume/test-file\": {perms}");
    let out = vec![perms_line.as_str(), "content of file \"/test-volume/test-file\": mount-tester new file"];
    test_container_output_of(&pod, medium, out)
}

fn do_test_0644(uid: i64, medium: Medium) -> Session {
    do_test_new_file(uid, medium, "0644", "-rw-r--r--")
}

fn do_test_0666(uid: i64, medium: Medium) -> Session {
    do_test_new_file(uid, medium, "0666", "-rw-rw-rw-")
}

fn do_test_0777(uid: i64, medium: Medium) -> Session {
    do_test_new_file(uid, medium, "0777", "-rwxrwxrwx")
}

/// `f.Context("when FSGroup is specified [LinuxOnly]", f.WithNodeConformance(), ...)`.
mod when_fsgroup_is_specified {
    use super::*;

    #[test]
    fn new_files_should_be_created_with_fsgroup_ownership_when_container_is_root() {
        do_test_setgid_fs_group(0, Medium::Memory);
    }

    #[test]
    fn new_files_should_be_created_with_fsgroup_ownership_when_container_is_non_root() {
        do_test_setgid_fs_group(NON_ROOT_UID, Medium::Memory);
    }

    #[test]
    fn nonexistent_volume_sub_path_should_have_the_correct_mode_and_owner_using_fsgroup() {
        do_test_sub_path_fs_group(NON_ROOT_UID, Medium::Memory);
    }

    #[test]
    fn files_with_fsgroup_ownership_should_support_root_0644_tmpfs() {
        do_test_0644_fs_group(0, Medium::Memory);
    }

    #[test]
    fn volume_on_default_medium_should_have_the_correct_mode_using_fsgroup() {
        do_test_volume_mode_fs_group(0, Medium::Default);
    }

    #[test]
    fn volume_on_tmpfs_should_have_the_correct_mode_using_fsgroup() {
        do_test_volume_mode_fs_group(0, Medium::Memory);
    }
}

/// `ConformanceIt("volume on tmpfs should have the correct mode [LinuxOnly]")`.
#[test]
fn volume_on_tmpfs_should_have_the_correct_mode() {
    do_test_volume_mode(0, Medium::Memory);
}

/// `ConformanceIt("should support (root,0644,tmpfs) [LinuxOnly]")`.
#[test]
fn should_support_root_0644_tmpfs() {
    do_test_0644(0, Medium::Memory);
}

/// `ConformanceIt("should support (root,0666,tmpfs) [LinuxOnly]")`.
#[test]
fn should_support_root_0666_tmpfs() {
    do_test_0666(0, Medium::Memory);
}

/// `ConformanceIt("should support (root,0777,tmpfs) [LinuxOnly]")`.
#[test]
fn should_support_root_0777_tmpfs() {
    do_test_0777(0, Medium::Memory);
}

/// `ConformanceIt("should support (non-root,0644,tmpfs) [LinuxOnly]")`.
#[test]
fn should_support_non_root_0644_tmpfs() {
    do_test_0644(NON_ROOT_UID, Medium::Memory);
}

/// `ConformanceIt("should support (non-root,0666,tmpfs) [LinuxOnly]")`.
#[test]
fn should_support_non_root_0666_tmpfs() {
    do_test_0666(NON_ROOT_UID, Medium::Memory);
}

/// `ConformanceIt("should support (non-root,0777,tmpfs) [LinuxOnly]")`.
#[test]
fn should_support_non_root_0777_tmpfs() {
    do_test_0777(NON_ROOT_UID, Medium::Memory);
}

/// `ConformanceIt("volume on default medium should have the correct mode [LinuxOnly]")`.
#[test]
fn volume_on_default_medium_should_have_the_correct_mode() {
    do_test_volume_mode(0, Medium::Default);
}

/// `ConformanceIt("should support (root,0644,default) [LinuxOnly]")`.
#[test]
fn should_support_root_0644_default() {
    do_test_0644(0, Medium::Default);
}

/// `ConformanceIt("should support (root,0666,default) [LinuxOnly]")`.
#[test]
fn should_support_root_0666_default() {
    do_test_0666(0, Medium::Default);
}

/// `ConformanceIt("should support (root,0777,default) [LinuxOnly]")`.
#[test]
fn should_support_root_0777_default() {
    do_test_0777(0, Medium::Default);
}

/// `ConformanceIt("should support (non-root,0644,default) [LinuxOnly]")`.
#[test]
fn should_support_non_root_0644_default() {
    do_test_0644(NON_ROOT_UID, Medium::Default);
}

/// `ConformanceIt("should support (non-root,0666,default) [LinuxOnly]")`.
#[test]
fn should_support_non_root_0666_default() {
    do_test_0666(NON_ROOT_UID, Medium::Default);
}

/// `ConformanceIt("should support (non-root,0777,default) [LinuxOnly]")`.
#[test]
fn should_support_non_root_0777_default() {
    do_test_0777(NON_ROOT_UID, Medium::Default);
}

/// `e2epod.ExecShellInContainer`: `/bin/sh -c cmd` in the container, which must succeed; its
/// stdout with the space around it trimmed (`ExecWithOptions`' `strings.TrimSpace`).
fn exec_shell_in_container(s: &mut Session, pod_name: &str, container: &str, cmd: &str) -> String {
    let (code, out, err) = kubectl(s, &["exec", pod_name, "-c", container, "--", "/bin/sh", "-c", cmd]);
    assert_eq!(code, 0, "failed to execute command in pod {pod_name}, container {container}: {out}{err}");
    out.trim().to_string()
}

/// `ConformanceIt("pod should support shared volumes between containers")`.
#[test]
fn pod_should_support_shared_volumes_between_containers() {
    let volume_name = "shared-data";
    let busy_box_main_volume_mount_path = "/usr/share/volumeshare";
    let busy_box_sub_volume_mount_path = "/pod-data";
    let busy_box_main_volume_file_path = format!("{busy_box_main_volume_mount_path}/shareddata.txt");
    let busy_box_sub_volume_file_path = format!("{busy_box_sub_volume_mount_path}/shareddata.txt");
    let message = "Hello from the busy-box sub-container";
    let busy_box_main_container_name = "busybox-main-container";
    let busy_box_sub_container_name = "busybox-sub-container";
    let pod_name = format!("pod-sharedvolume-{UUID}");
    let pod = format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {pod_name}
spec:
  volumes:
  - name: {volume_name}
    emptyDir: {{}}
  containers:
  - name: {busy_box_main_container_name}
    image: {BUSYBOX}
    command: [/bin/sh]
    args: {main_args}
    volumeMounts:
    - name: {volume_name}
      mountPath: {busy_box_main_volume_mount_path}
  - name: {busy_box_sub_container_name}
    image: {BUSYBOX}
    command: [/bin/sh]
    args: {sub_args}
    volumeMounts:
    - name: {volume_name}
      mountPath: {busy_box_sub_volume_mount_path}
  terminationGracePeriodSeconds: 0
  restartPolicy: Never
",
        main_args = list(&["-c", INFINITE_SLEEP_COMMAND]),
        sub_args = list(&["-c", &format!("echo {message} > {busy_box_sub_volume_file_path}")]),
    );
    let mut s = create(&pod);
    wait_for_pod_running(&mut s, &pod_name, POD_START_TIMEOUT).expect("the pod runs");
    // "Reading file content from the nginx-container"
    let result = exec_shell_in_container(&mut s, &pod_name, busy_box_main_container_name, &format!("cat {busy_box_main_volume_file_path}"));
    assert_eq!(result, message, "failed to match expected string {message} with {result}");
}

/// `f.It("pod should support memory backed volumes of specified size", f.WithNodeConformance())`.
#[test]
fn pod_should_support_memory_backed_volumes_of_specified_size() {
    let volume_name = "shared-data";
    let busy_box_main_volume_mount_path = "/usr/share/volumeshare";
    let busy_box_main_container_name = "busybox-main-container";
    let expected_result = "10240"; // equal to 10Mi
    let pod_name = format!("pod-size-memory-volume-{UUID}");
    let pod = format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {pod_name}
spec:
  volumes:
  - name: {volume_name}
    emptyDir: {{medium: Memory, sizeLimit: 10Mi}}
  containers:
  - name: {busy_box_main_container_name}
    image: {BUSYBOX}
    command: [/bin/sh]
    args: {args}
    volumeMounts:
    - name: {volume_name}
      mountPath: {busy_box_main_volume_mount_path}
  terminationGracePeriodSeconds: 0
  restartPolicy: Never
",
        args = list(&["-c", INFINITE_SLEEP_COMMAND]),
    );
    let mut s = create(&pod);
    create_sync(&mut s, &pod_name);
    wait_for_pod_running(&mut s, &pod_name, POD_START_TIMEOUT).expect("failed to deploy pod");
    assert!(e2e_support::pod(&s, &pod_name).is_some(), "failed to get pod {pod_name}");
    // "Reading empty dir size"
    let cmd = format!("df | grep {busy_box_main_volume_mount_path} | awk '{{print $2}}'");
    let result = exec_shell_in_container(&mut s, &pod_name, busy_box_main_container_name, &cmd);
    assert_eq!(result, expected_result, "failed to match expected string {expected_result} with {result}");
}
