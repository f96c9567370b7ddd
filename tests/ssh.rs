//! Over a real SSH connection: an OpenSSH server on 127.0.0.1 with throw-away
//! keys, `ssh -tt` into sitrep on the bundled samples, read a story, bookmark
//! it, resize the terminal, quit; then the bookmark is on disk and the terminal
//! (both ends) is as it was. Skipped, saying why, where sshd cannot run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Tty, assert_terminal_restored};

/// The OpenSSH server, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find(program: &str, dirs: &[&str]) -> Option<PathBuf> {
    dirs.iter()
        .map(|d| Path::new(d).join(program))
        .find(|p| p.is_file())
}

fn keygen(path: &Path) {
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "ssh-keygen failed for {}", path.display());
}

/// Starts sshd on a free port of 127.0.0.1 that lets `user` in with the key
/// in `dir`; `None` (with the reason) when it cannot run here.
fn start_sshd(dir: &Path, user: &str) -> Result<(Server, u16), String> {
    let sshd = find("sshd", &["/usr/sbin", "/usr/bin", "/usr/local/sbin"])
        .ok_or("no sshd (apt-get install openssh-server)")?;
    if find("ssh", &["/usr/bin", "/usr/local/bin"]).is_none() {
        return Err("no ssh client".into());
    }
    keygen(&dir.join("host"));
    keygen(&dir.join("client"));
    std::fs::copy(dir.join("client.pub"), dir.join("authorized_keys")).unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let config = format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {auth}\n\
         PidFile {pid}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
         KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin yes\n\
         AllowUsers {user}\nPermitUserEnvironment no\nPrintMotd no\nPrintLastLog no\n",
        host = dir.join("host").display(),
        auth = dir.join("authorized_keys").display(),
        pid = dir.join("sshd.pid").display(),
    );
    std::fs::write(dir.join("sshd_config"), config).unwrap();
    // sshd wants its privilege-separation folder.
    let _ = std::fs::create_dir_all("/run/sshd");
    let child = Command::new(&sshd)
        .args(["-D", "-e", "-f"])
        .arg(dir.join("sshd_config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("sshd.log")).unwrap())
        .spawn()
        .map_err(|e| format!("cannot start sshd: {e}"))?;
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("sshd.log")).unwrap_or_default();
            return Err(format!("sshd did not start: {log}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok((server, port))
}

fn user() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| {
            let out = Command::new("id").arg("-un").output().ok()?;
            Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
        })
        .unwrap_or_else(|| "root".into())
}

#[test]
fn read_bookmark_resize_and_quit_over_ssh() {
    let dir = tempfile::tempdir().unwrap();
    let user = user();
    let (_server, port) = match start_sshd(dir.path(), &user) {
        Ok(s) => s,
        Err(why) => {
            eprintln!("SKIPPED: the SSH end-to-end test cannot run here: {why}");
            return;
        }
    };
    let config = dir.path().join("config");
    let sitrep = assert_cmd::cargo::cargo_bin("sitrep");
    let remote = format!(
        "env SITREP_CONFIG_DIR={config} SITREP_STATE_DIR={state} TERM=xterm-256color LC_ALL=C.UTF-8 {sitrep}",
        config = config.display(),
        state = dir.path().join("state").display(),
        sitrep = sitrep.display(),
    );
    let key = dir.path().join("client");
    let args: Vec<String> = vec![
        "-tt".into(),
        "-p".into(),
        port.to_string(),
        "-i".into(),
        key.display().to_string(),
        "-o".into(),
        "StrictHostKeyChecking=no".into(),
        "-o".into(),
        "UserKnownHostsFile=/dev/null".into(),
        "-o".into(),
        "LogLevel=ERROR".into(),
        "-o".into(),
        "BatchMode=yes".into(),
        format!("{user}@127.0.0.1"),
        remote,
    ];
    let ssh = find("ssh", &["/usr/bin", "/usr/local/bin"]).unwrap();
    let mut t = Tty::start_program(&ssh, dir.path(), 100, 30, &args, &[]);
    t.wait_for("the reader over ssh", |s| s.contains("23 of 23 stories"));
    // Read the second story.
    t.send("j");
    t.send("\r");
    t.wait_for("the story", |s| s.contains("BMA to appeal court decision"));
    // Bookmark it.
    t.send("b");
    t.wait_for("the bookmark", |s| s.contains("Bookmarked"));
    // Resize: the size travels over ssh and the reader redraws in it.
    t.resize(80, 24);
    t.wait_for("the narrow layout", |s| s.contains("h/l panes"));
    t.send("q");
    t.send("q");
    let (code, restored) = t.finish();
    assert_eq!(code, 0, "ssh exits as sitrep did");
    assert!(restored, "the local terminal is as before");
    assert_terminal_restored(&t.bytes());
    let saved = std::fs::read_to_string(config.join("bookmarks.json")).unwrap();
    let id = sitrep::loader::load_bundled().stories[1].id.to_string();
    assert!(saved.contains(&id), "{saved}");
}
