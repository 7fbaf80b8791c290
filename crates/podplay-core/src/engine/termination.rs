//! The kubelet's termination message: what a container leaves in its `terminationMessagePath`
//! file, or the tail of its log (`FallbackToLogsOnError`), becomes its terminated state's
//! `message` (pkg/kubelet/kuberuntime: `convertToKubeContainerStatus`, `getTerminationMessage`,
//! `readLastStringFromContainerLogs`), cut to the pod's share by the status manager
//! (`normalizeStatus`).

use super::cri::ContainerHandle;
use super::objects::ContainerKey;
use super::Engine;

/// `MaxPodTerminationMessageLogLength`: the bytes of termination messages a pod may have, split
/// evenly between its containers.
const MAX_POD_TERMINATION_MESSAGE_LOG_LENGTH: usize = 1024 * 12;
/// `MaxContainerTerminationMessageLength`: the file's last bytes the kubelet reads.
const MAX_CONTAINER_TERMINATION_MESSAGE_LENGTH: u64 = 1024 * 4;
/// `MaxContainerTerminationMessageLogLength`: the log's last bytes a message may hold.
const MAX_CONTAINER_TERMINATION_MESSAGE_LOG_LENGTH: usize = 1024 * 2;
/// `MaxContainerTerminationMessageLogLines`: the log lines read for a message.
const MAX_CONTAINER_TERMINATION_MESSAGE_LOG_LINES: usize = 80;

impl Engine {
    /// The terminated state's message of the container instance `handle` that exited with
    /// `exit_code` and `reason`, and whether it came from the log; None when it is empty (the
    /// runtime gives no message of its own for an exit).
    pub(crate) fn termination_message(
        &self,
        p: usize,
        key: ContainerKey,
        handle: ContainerHandle,
        exit_code: i32,
        reason: &str,
    ) -> Option<(String, bool)> {
        let rec = &self.pods[p];
        let c = rec.spec_container(key);
        // A container that could not even start has no logs to fall back to.
        let fallback_to_logs =
            c.termination_message_policy.as_deref() == Some("FallbackToLogsOnError") && exit_code != 0 && reason != "ContainerCannotRun";
        let path = c.termination_message_path.as_deref().unwrap_or_default();
        let file = if path.is_empty() { None } else { self.cri.mounted_file_tail(handle, path, MAX_CONTAINER_TERMINATION_MESSAGE_LENGTH) };
        // A file that is not there, or is empty, leaves the message to the logs when they may
        // be used.
        let check_logs = fallback_to_logs && file.as_ref().is_none_or(|data| data.is_empty());
        let mut message = file.unwrap_or_default();
        if check_logs {
            message = self.last_log_bytes(handle);
        }
        if message.is_empty() {
            return None;
        }
        let containers = rec.pod.spec.containers.len() + rec.pod.spec.init_containers.len();
        message.truncate(MAX_POD_TERMINATION_MESSAGE_LOG_LENGTH / containers.max(1));
        Some((String::from_utf8_lossy(&message).into_owned(), check_logs))
    }

    /// `readLastStringFromContainerLogs`: the last log lines as `kubectl logs` prints them, in a
    /// circular buffer that keeps the last bytes.
    fn last_log_bytes(&self, handle: ContainerHandle) -> Vec<u8> {
        let mut text = Vec::new();
        for line in self.cri.logs(handle, Some(MAX_CONTAINER_TERMINATION_MESSAGE_LOG_LINES)) {
            text.extend_from_slice(line.text.as_bytes());
            if !line.partial {
                text.push(b'\n');
            }
        }
        let start = text.len() - text.len().min(MAX_CONTAINER_TERMINATION_MESSAGE_LOG_LENGTH);
        text.split_off(start)
    }
}
