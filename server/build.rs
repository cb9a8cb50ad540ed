// `sqlx::migrate!` embeds the migrations at compile time; without this, a new migration
// file would not trigger a rebuild and would be silently left out of the binary.
//
// The built site (wasm, js, css and their .br/.gz copies) is embedded in a release build
// made by `cargo leptos build --release --precompress`, which builds the front end first
// and then the server with LEPTOS_SITE_ROOT set: `canvass serve` then needs nothing
// beside it. Any other build (tests, `cargo bench`) embeds nothing and serves the site
// folder (`--site-root`, default target/site).
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
    println!("cargo:rerun-if-env-changed=LEPTOS_SITE_ROOT");
    println!("cargo:rerun-if-env-changed=LEPTOS_SITE_PKG_DIR");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut files = Vec::new();
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    if let (true, Ok(root)) = (release, std::env::var("LEPTOS_SITE_ROOT")) {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let pkg = std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into());
        let dir = workspace.join(root).join(&pkg);
        println!("cargo:rerun-if-changed={}", dir.display());
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_file() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let absolute = path.canonicalize().expect("a file just listed exists");
                    files.push((name, absolute));
                }
            }
        }
    }
    files.sort();
    let mut code = String::from(
        "/// The site's files by name under the pkg folder (empty when none was embedded).\npub(crate) static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &files {
        code.push_str(&format!("    ({name:?}, include_bytes!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    std::fs::write(out.join("embedded_site.rs"), code).expect("writing embedded_site.rs");
}
