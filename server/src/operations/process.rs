//! What the server process sets about itself at start: as many open files as it may
//! have (each live watcher is a socket), and an allocator that gives freed memory back.
//! (Transparent huge pages are kept off by mimalloc's `no_thp` build option: with them
//! an idle server's memory looked 20 MB larger than it is.)

/// Raises this process's open-files limit to the most it may have (the hard limit, as Go
/// and nginx do), and returns it. Many systems start services at a soft limit of 1,024,
/// which would cap live watchers at a few hundred.
#[cfg(unix)]
#[allow(unsafe_code)] // libc's rlimit calls have no safe wrapper in the standard library.
#[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux but i64 on some other Unixes.
pub fn raise_open_files_limit() -> Option<u64> {
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = limit.rlim_max;
            }
        }
        Some(limit.rlim_cur as u64)
    }
}

#[cfg(not(unix))]
pub fn raise_open_files_limit() -> Option<u64> {
    None
}

/// mimalloc's option number for `purge_delay` (v3 `mimalloc.h`, `mi_option_purge_delay`).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Returns memory the server has freed to the system at once, instead of after a delay
/// that only runs out on the allocator's next call (which an idle server never makes): an
/// idle server held about 20 MB it no longer used. Measured in BENCHMARKS.md (idle
/// memory, and the submission rate, which this did not lower).
#[allow(unsafe_code)] // mimalloc's options are set only through its C API.
pub fn tune_allocator() {
    // SAFETY: sets one of mimalloc's documented options to a documented value.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}
