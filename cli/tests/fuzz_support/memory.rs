//! Memory of the process, to stop an input that allocates without bound. The workspace
//! forbids `unsafe`, so no counting allocator: the watchdog samples the resident set size
//! from `/proc/self/status` while an input runs (Linux; elsewhere there is no bound).

/// The resident set size in bytes, when the platform says.
pub fn resident() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
