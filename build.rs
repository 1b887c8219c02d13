//! Rebuilds bounce when the default theme changes: it is compiled into the
//! binary with `include_dir!`, which cannot tell cargo about the files it reads.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
