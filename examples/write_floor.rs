//! The floor for `bench/render.sh`: writes COUNT files of SIZE bytes into a
//! fresh folder on THREADS threads, one create/write/close each and no
//! template work, so a batch's time can be read as a multiple of what the
//! disk alone needs.
//!
//! `cargo run --release --example write_floor -- DIR COUNT SIZE THREADS`

use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, count, size, threads] = args.as_slice() else {
        return Err("usage: write_floor DIR COUNT SIZE THREADS".into());
    };
    let dir = PathBuf::from(dir);
    let (count, size, threads): (usize, usize, usize) =
        (count.parse()?, size.parse()?, threads.parse()?);
    let started = Instant::now();
    std::fs::create_dir(&dir)?;
    let body = vec![b'x'; size];
    std::thread::scope(|scope| {
        for worker in 0..threads {
            let (dir, body) = (&dir, &body);
            scope.spawn(move || {
                for i in (worker..count).step_by(threads) {
                    std::fs::write(dir.join(format!("hire-{i}.md")), body).expect("write");
                }
            });
        }
    });
    println!("{:.3}", started.elapsed().as_secs_f64());
    Ok(())
}
