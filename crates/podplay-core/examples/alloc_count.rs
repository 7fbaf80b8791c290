//! Allocations and live heap per pod, by phase, for the benchmark's cluster shape:
//! `cargo run --release -p podplay-core --example alloc_count -- PODS`.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicI64 = AtomicI64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_add(l.size() as i64, Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as i64, Ordering::Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, s: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_add(s as i64 - l.size() as i64, Ordering::Relaxed);
        System.realloc(p, l, s)
    }
}

#[global_allocator]
static A: Counting = Counting;

include!("../benches/support/cluster.rs");

fn main() {
    let pods: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let y = large_cluster(10, pods);
    let n = pods as i64;
    let mark = || (ALLOCS.load(Ordering::Relaxed) as i64, LIVE.load(Ordering::Relaxed));
    let report = |what: &str, (a0, l0): (i64, i64), (a1, l1): (i64, i64)| {
        println!("{what:<24} {:>6} allocations/pod {:>8} bytes live/pod", (a1 - a0) / n, (l1 - l0) / n)
    };
    let t0 = mark();
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "x".into(), text: y }]).unwrap();
    let t1 = mark();
    report("load", t0, t1);
    let mut e = podplay_core::Engine::new(&m).unwrap();
    let t2 = mark();
    report("Engine::new", t1, t2);
    e.run_until(60_000);
    let t3 = mark();
    report("first minute", t2, t3);
    // ALLOC_COUNT_EXIT=1 ends the process here without freeing: under `heaptrack`, what is
    // live after the first minute is reported as leaked, by the place that allocated it.
    if std::env::var_os("ALLOC_COUNT_EXIT").is_some() {
        std::process::exit(0);
    }
    // What some of it is: the bytes freed by dropping a copy.
    {
        let t = e.timeline().to_vec();
        let b = LIVE.load(Ordering::Relaxed);
        drop(t);
        println!("  {:<22} {:>8} bytes/pod", "timeline", (b - LIVE.load(Ordering::Relaxed)) / n);
        let ev = e.events();
        let b = LIVE.load(Ordering::Relaxed);
        drop(ev);
        println!("  {:<22} {:>8} bytes/pod", "events (as read)", (b - LIVE.load(Ordering::Relaxed)) / n);
        let pods: Vec<_> = e.pods().cloned().collect();
        let b = LIVE.load(Ordering::Relaxed);
        drop(pods);
        println!("  {:<22} {:>8} bytes/pod", "pod objects", (b - LIVE.load(Ordering::Relaxed)) / n);
    }
    e.run_until(3_600_000);
    let t4 = mark();
    report("rest of the hour", t3, t4);
}
