//! "No allocation in the tick loop once a run's buffers are sized" (ARCHITECTURE.md),
//! measured: a counting global allocator for this test binary counts the calls to
//! `alloc` and `realloc` on the current thread, so tests running in parallel on
//! other threads do not interfere. Each shipped scenario (every behaviour rule among
//! them) plays warm-up ticks, then the count must not move over the ticks after.
//!
//! NOTE: a tick may still allocate when a run sets a record, more coalitions active at
//! once than ever before: the new coalition slot allocates its two member lists
//! (`members`, sized `max_size`, and `ever`, sized to the number of states, so
//! neither grows later). The allowance is exactly two allocations per slot added
//! in the counted ticks. Everything else (the slot array, `active`, `free`, each
//! state's memberships, the scratch buffers) is sized when the run starts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use minilat::engine::{RunKey, Simulation};
use minilat::metrics::Discard;
use minilat::scenario::Scenario;

use crate::repo;

/// Counts allocations on the current thread, then hands them to the system allocator.
struct Counting;

thread_local! {
    // `const` and `Cell<u64>`: no lazy initialisation and no destructor, so reading
    // it never allocates (which would recurse into the allocator).
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count_one() {
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to `System`; the counter is a
// thread-local `Cell` that neither allocates nor panics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: `ptr` and `layout` come from this allocator, which is `System`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `realloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Allocations on this thread so far.
fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Ticks played before counting: enough for coalitions to form and sizes to settle.
const WARM_UP: u32 = 40;
/// Ticks counted.
const COUNTED: u32 = 60;
/// Allocations a new coalition slot makes (its `members` and `ever` lists).
const PER_NEW_SLOT: u64 = 2;

fn scenario(name: &str, ticks: u32) -> Scenario {
    let path = repo(&format!("scenarios/{name}.toml"));
    let overrides = [format!("scenario.ticks={ticks}")];
    Scenario::from_path(Path::new(&path), &overrides)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .scenario
}

/// Allocations during ticks `WARM_UP..WARM_UP + COUNTED` of run `replicate`, and the
/// coalition slots added meanwhile.
fn allocations_after_warm_up(s: &Scenario, replicate: u32) -> (u64, u64) {
    let mut sim = Simulation::new(
        s,
        RunKey {
            point: 0,
            replicate,
        },
    );
    let mut observer = Discard;
    for _ in 0..WARM_UP {
        sim.step(&mut observer);
    }
    let slots = sim.world().coalitions.len();
    let before = allocations();
    for _ in 0..COUNTED {
        sim.step(&mut observer);
    }
    let n = allocations() - before;
    (n, (sim.world().coalitions.len() - slots) as u64)
}

#[test]
fn the_counting_allocator_sees_an_allocation() {
    let before = allocations();
    let v: Vec<u64> = std::hint::black_box(Vec::with_capacity(16));
    assert_eq!(allocations() - before, 1);
    drop(v);
}

#[test]
fn the_tick_loop_does_not_allocate_after_warm_up() {
    let names = [
        "naim",
        "quickstart",
        "climate-club",
        "microlateral",
        "eu-enhanced-cooperation",
        "wto-plurilaterals",
        "adaptive-venues",
        "stability",
        "europe-1936-landscape",
        "g20-alliances",
        "mesa-alliances",
        "e3-iran",
        "climate-club-nordhaus",
    ];
    let mut problems = Vec::new();
    for name in names {
        let s = scenario(name, WARM_UP + COUNTED);
        for replicate in 0..3 {
            let (n, slots) = allocations_after_warm_up(&s, replicate);
            if n > PER_NEW_SLOT * slots {
                problems.push(format!(
                    "{name} run {replicate}: {n} allocations in ticks {WARM_UP}..{} \
                     with {slots} new coalition slots (allowed: {PER_NEW_SLOT} per slot)",
                    WARM_UP + COUNTED
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
