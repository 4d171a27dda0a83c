//! Question understanding over arbitrary input: never panics.
#![no_main]

use std::sync::OnceLock;

use factbot::aliases::Aliases;
use factbot::question;
use libfuzzer_sys::fuzz_target;

fn aliases() -> &'static Aliases {
    static A: OnceLock<Aliases> = OnceLock::new();
    A.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../index/aliases.toml");
        Aliases::load(std::path::Path::new(path)).unwrap_or_else(|_| Aliases::builtin())
    })
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let _ = question::split_command(&raw);
    let _ = question::Lang::detect(&raw);
    let _ = question::parse(&raw, aliases());
});
