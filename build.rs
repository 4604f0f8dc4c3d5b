// Migrations are embedded in the binary: rebuild when any of them changes.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=data/regions-cn.csv");
    println!("cargo:rerun-if-changed=data/cn-calendar.csv");
}
