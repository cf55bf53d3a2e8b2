//! The app makes no network connection: no HTTP, TLS, WebSocket or D-Bus client crate is linked
//! (rfd reaches the desktop portal through libdbus loaded at run time, or zenity). Checked on the
//! resolved dependency graph of the binary with all default features.

use std::process::Command;

const FORBIDDEN: &[&str] = &[
    "hyper", "reqwest", "ureq", "curl", "isahc", "attohttpc", "surf", "h2", "h3", "quinn", "tungstenite", "tokio-tungstenite",
    "native-tls", "openssl", "rustls", "socket2", "zbus",
];

#[test]
fn no_network_client_is_linked() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "--offline", "-e", "normal", "--prefix", "none", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("run cargo tree");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    let crates: std::collections::BTreeSet<&str> = tree.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(crates.contains("zipin") && crates.len() > 20, "unexpected cargo tree output: {tree}");
    let linked: Vec<&&str> = FORBIDDEN.iter().filter(|c| crates.contains(**c)).collect();
    assert!(linked.is_empty(), "network crates linked: {linked:?}");
    // tokio (iced's executor) without its "net" feature: no sockets.
    let features = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["tree", "--offline", "-e", "features", "-i", "tokio", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("run cargo tree");
    let features = String::from_utf8_lossy(&features.stdout);
    assert!(!features.contains("tokio feature \"net\""), "{features}");
}
