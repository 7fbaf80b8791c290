//! Ports of the small Go utilities whose behaviour shows in kubectl output: durations, tabwriters, back-off, the event correlator.
