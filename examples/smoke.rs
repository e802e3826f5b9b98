use minilat::batch::run_one;
use minilat::engine::RunKey;
use minilat::scenario::synthetic::Synthetic;
fn main() {
    let n: usize = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(193);
    let s = Synthetic { states: n, ..Default::default() }.build();
    let t = std::time::Instant::now();
    let reps = 20;
    let mut last = None;
    for r in 0..reps {
        last = Some(run_one(&s, RunKey { point: 0, replicate: r }));
    }
    let el = t.elapsed();
    let r = last.unwrap();
    println!("{:?} per run", el / reps);
    println!("{:#?}", r.summary);
    println!("coalitions {}", r.coalitions.len());
    for c in r.coalitions.iter().take(8) { println!("{:?}", (c.serial, c.issue, c.founded, c.ended, c.reason, c.peak_size, c.progress, c.adopted, c.kind)); }
}
#[allow(dead_code)]
fn counts() {}
