//! Rebuilds bounce when the default theme or the starter site changes: they
//! are compiled into the binary with `include_dir!`, which cannot tell cargo
//! about the files it reads.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/scaffold/starter");
}
