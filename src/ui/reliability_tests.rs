//! Saving where the disk says no: a full disk, a read-only disk, a folder without write
//! permission. The window must say why in Chinese, keep every figure in memory, leave the file on
//! disk as it was, and still save elsewhere.
//!
//! Full and read-only disks are real: small tmpfs mounts (needs root or CAP_SYS_ADMIN, as on CI).
//! Where mounting is not allowed the tests say so and check the same promises on the failures
//! this process can cause (a folder that is a file; a folder without write permission).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::app::Message;
use super::App;
use crate::document::files;
use crate::engine::{Form, Location};
use crate::{draft, sample};

use super::tests::{data_dir as env, miluo, set};

/// A tmpfs mounted for the test, unmounted on drop.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(dir: &Path, options: &str) -> Result<Mount, String> {
        fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "zipin-test"])
            .arg(dir)
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(Mount(dir.to_path_buf()))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }

    fn remount_read_only(&self) {
        let ok = Command::new("mount").args(["-o", "remount,ro"]).arg(&self.0).status().is_ok_and(|s| s.success());
        assert!(ok, "remount read-only");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the file system holding `dir` until it has no byte left.
fn fill(dir: &Path) {
    let mut f = fs::File::create(dir.join("filler")).expect("filler");
    let block = vec![0u8; 4096];
    while f.write_all(&block).is_ok() {}
    for n in (1..4096).rev() {
        while f.write_all(&block[..n]).is_ok() {}
    }
    let _ = f.flush();
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir).expect("list").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// The sample, saved to `path`, then edited in memory (so it is dirty and differs from the file).
fn edited_app(path: &Path) -> App {
    let mut app = miluo();
    assert!(app.save_to(path), "first save to {}", path.display());
    set(&mut app, &Location::new(Form::A2, None, "header", "unit"), "汨罗市残疾人联合会（未保存的修改）");
    assert!(app.doc.dirty);
    app
}

/// After a refused save: a Chinese banner naming `reason`, the edit still in memory and unsaved,
/// the file on disk byte for byte as before, no temporary file left; then saving elsewhere works.
fn assert_refused(app: &mut App, path: &Path, before: &[u8], files_before: &[String], reason: &str, elsewhere: &Path) {
    assert!(!app.save_to(path));
    let banner = app.banner.clone().expect("a banner says why");
    assert_eq!(banner.severity, crate::engine::Severity::Error);
    assert!(banner.text.starts_with("保存失败："), "{}", banner.text);
    assert!(banner.text.contains(reason), "expected “{reason}” in: {}", banner.text);
    assert!(banner.text.contains("另存为"), "the banner says what to do: {}", banner.text);
    assert!(app.doc.dirty, "still marked unsaved");
    assert_eq!(app.doc.wb.unit, "汨罗市残疾人联合会（未保存的修改）", "the edit is kept in memory");
    assert_eq!(fs::read(path).expect("old file"), before, "the file on disk is unchanged");
    assert_eq!(names(path.parent().expect("folder")), files_before, "no temporary file left behind");

    assert!(app.save_to(elsewhere), "saving elsewhere works: {:?}", app.banner);
    assert_eq!(draft::load(elsewhere).expect("saved elsewhere").unit, "汨罗市残疾人联合会（未保存的修改）");
    assert!(!app.doc.dirty);
}

#[test]
fn a_full_disk_refuses_the_save_and_loses_nothing() {
    let e = env();
    let disk = e.dir.path().join("u盘");
    let _mount = match Mount::tmpfs(&disk, "size=256k,mode=0755") {
        Ok(m) => m,
        Err(why) => {
            eprintln!("skipping the full-disk case: cannot mount a tmpfs here ({why}); checking a folder that is a file instead");
            let path = e.dir.path().join("a.ron");
            let mut app = edited_app(&path);
            let before = fs::read(&path).unwrap();
            fs::write(e.dir.path().join("not-a-folder"), "x").unwrap();
            let bad = e.dir.path().join("not-a-folder").join("a.ron");
            assert!(!app.save_to(&bad));
            assert!(app.banner.as_ref().is_some_and(|b| b.text.contains("不是文件夹")), "{:?}", app.banner);
            assert!(app.doc.dirty);
            assert_eq!(fs::read(&path).unwrap(), before);
            return;
        }
    };
    let path = disk.join("草稿.ron");
    let mut app = edited_app(&path);
    let before = fs::read(&path).unwrap();
    fs::create_dir_all(disk.join("data/recovery")).unwrap();
    fill(&disk);
    let files_before = names(&disk);

    // The autosave fails too, and says so; the draft in memory is untouched.
    std::env::set_var("ZIPIN_DATA_DIR", disk.join("data"));
    let _ = app.update(Message::Autosave);
    std::env::set_var("ZIPIN_DATA_DIR", e.dir.path().join("data"));
    let banner = app.banner.clone().expect("autosave banner");
    assert!(banner.text.starts_with("自动保存失败："), "{}", banner.text);
    assert!(banner.text.contains("磁盘空间不足"), "{}", banner.text);
    assert!(names(&disk.join("data/recovery")).is_empty(), "no half-written autosave");

    assert_refused(&mut app, &path, &before, &files_before, "磁盘空间不足", &e.dir.path().join("另存.ron"));
}

#[test]
fn a_read_only_disk_refuses_the_save_and_loses_nothing() {
    let e = env();
    let disk = e.dir.path().join("光盘");
    let mount = match Mount::tmpfs(&disk, "size=1m,mode=0755") {
        Ok(m) => m,
        Err(why) => {
            eprintln!("skipping the read-only-disk case: cannot mount a tmpfs here ({why})");
            return;
        }
    };
    let path = disk.join("草稿.ron");
    let mut app = edited_app(&path);
    let before = fs::read(&path).unwrap();
    mount.remount_read_only();
    let files_before = names(&disk);
    assert_refused(&mut app, &path, &before, &files_before, "只读", &e.dir.path().join("另存.ron"));
}

/// A folder the user may not write to. Root may write into a 0555 folder, so for root the folder
/// is made immutable instead (`chattr +i`, refused with EPERM, which is also “permission denied”).
#[cfg(unix)]
#[test]
fn a_folder_without_write_permission_refuses_the_save_and_loses_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let e = env();
    let folder = e.dir.path().join("只读文件夹");
    fs::create_dir(&folder).unwrap();
    let path = folder.join("草稿.ron");
    let mut app = edited_app(&path);
    let before = fs::read(&path).unwrap();
    let writable = || {
        let probe = folder.join(".probe");
        let ok = fs::write(&probe, "x").is_ok();
        let _ = fs::remove_file(&probe);
        ok
    };
    /// Gives the folder back its permissions however the test ends, so it can be deleted.
    struct Restore<'a>(&'a Path);
    impl Drop for Restore<'_> {
        fn drop(&mut self) {
            let _ = Command::new("chattr").arg("-i").arg(self.0).output();
            let _ = fs::set_permissions(self.0, fs::Permissions::from_mode(0o755));
        }
    }
    let _restore = Restore(&folder);
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    if writable() {
        let immutable = Command::new("chattr").arg("+i").arg(&folder).status().is_ok_and(|s| s.success());
        if !immutable || writable() {
            eprintln!("skipping the permission case: this user may write into a 0555 folder and chattr +i is unavailable");
            return;
        }
    }
    let files_before = names(&folder);
    assert_refused(&mut app, &path, &before, &files_before, "没有权限", &e.dir.path().join("另存.ron"));
}

/// Enter answers a dialog with its primary button; Esc on the recovery question destroys nothing:
/// the autosave stays and is offered again at the next start.
#[test]
fn enter_restores_an_autosave_and_escape_keeps_it_for_later() {
    use super::app::{Dialog, Options};
    let e = env();
    let path = e.dir.path().join("a.ron");
    draft::save(&path, &sample::miluo_2023()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let mut wb = sample::miluo_2023();
    wb.unit = "自动保存的单位".into();
    files::write_recovery(Some(&path), &draft::to_string(&wb)).unwrap();

    let (mut app, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    assert!(matches!(app.dialog, Some(Dialog::Recovery { .. })));
    let _ = app.update(Message::DialogKey(false));
    assert!(app.dialog.is_none());
    assert_eq!(app.doc.wb.unit, "汨罗市残疾人联合会", "Esc restores nothing");
    assert!(files::pending_recovery(Some(&path)).is_some(), "Esc deletes nothing");

    let (mut app, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    assert!(matches!(app.dialog, Some(Dialog::Recovery { .. })), "offered again");
    let _ = app.update(Message::DialogKey(true));
    assert_eq!(app.doc.wb.unit, "自动保存的单位");
    assert!(app.doc.dirty);
}

/// Text that is not a valid number is saved word for word and comes back into its cell, with its
/// error, after reopening — and after an autosave recovery. Nothing typed is lost.
#[test]
fn text_that_is_not_a_number_survives_save_reopen_and_recovery() {
    use super::app::{Dialog, Options};
    use crate::engine::RuleId;
    let e = env();
    let path = e.dir.path().join("a.ron");
    let mut app = miluo();
    let loc = Location::new(Form::A2, None, "nature.basic", "amount");
    set(&mut app, &loc, "353.o8");
    assert!(app.save_to(&path));
    assert!(app.banner.as_ref().is_some_and(|b| b.text.contains("原文已一并保存")), "{:?}", app.banner);
    let on_disk = draft::load(&path).unwrap();
    assert_eq!(on_disk.department.by_nature.basic, None, "the figure itself is blank");
    assert_eq!(on_disk.unparsed.len(), 1);
    assert_eq!((on_disk.unparsed[0].cell.clone(), on_disk.unparsed[0].text.as_str()), (loc.clone(), "353.o8"));

    let (reopened, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    assert_eq!(reopened.doc.text(&loc), "353.o8", "the typed text is back in its cell");
    assert!(reopened.doc.at(&loc).any(|f| f.rule == RuleId::NumFormat && f.message.contains("353.o8")));
    assert_eq!(reopened.doc.eval.findings, app.doc.eval.findings, "the same findings as before saving");
    assert!(!reopened.doc.dirty);
    assert!(reopened.doc.wb.unparsed.is_empty(), "held by the cell while the window is open");

    // Fixed in the window, the saved draft no longer carries it.
    let mut app = reopened;
    set(&mut app, &loc, "353.08");
    assert!(app.save_to(&path));
    assert!(draft::load(&path).unwrap().unparsed.is_empty());
    assert_eq!(draft::load(&path).unwrap().department.by_nature.basic, Some("353.08".parse().unwrap()));

    // The autosave keeps it too.
    std::thread::sleep(std::time::Duration::from_millis(30));
    set(&mut app, &loc, "三百");
    let _ = app.update(Message::Autosave);
    let (mut recovered, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    assert!(matches!(recovered.dialog, Some(Dialog::Recovery { .. })));
    let _ = recovered.update(Message::Recovery(true));
    assert_eq!(recovered.doc.text(&loc), "三百");
    assert!(recovered.doc.at(&loc).any(|f| f.rule == RuleId::NumFormat));
}

/// Undoing back to the saved figures shows the draft as unchanged (no “*”, no question on close,
/// no stale autosave); redoing makes it changed again.
#[test]
fn undo_back_to_the_saved_figures_is_not_a_change() {
    let e = env();
    let path = e.dir.path().join("a.ron");
    let mut app = miluo();
    assert!(app.save_to(&path));
    let loc = Location::new(Form::A2, None, "fund.total", "executed");
    set(&mut app, &loc, "999");
    assert!(app.title().ends_with("* — 绩效自评"), "{}", app.title());
    let _ = app.update(Message::Autosave);
    assert!(files::recovery_path(Some(&path)).exists(), "the edit is autosaved");
    let _ = app.update(Message::Undo);
    assert!(!app.doc.dirty);
    assert_eq!(app.title(), "a.ron — 绩效自评");
    assert!(!files::recovery_path(Some(&path)).exists(), "the autosave of the undone edit is gone");
    let _ = app.update(Message::Redo);
    assert!(app.doc.dirty);
    assert_eq!(app.doc.text(&loc), "999");
}

/// Two windows on one draft (issue #13, 5). A window of another process holds the draft: opening
/// it says who, and offers 只读打开 (never written back) or 仍然打开. When another window has saved
/// the draft since this one loaded it, saving asks (另存为 / 覆盖 / 取消) instead of silently
/// overwriting; only 覆盖 writes, and the other window's figures stay in the `.bak`.
#[cfg(unix)]
#[test]
fn two_windows_on_one_draft() {
    use super::app::{ConflictChoice, Dialog, LockChoice, Options};
    use crate::draft_guard;
    let e = env();
    let path = e.dir.path().join("共用.ron");
    draft::save(&path, &sample::miluo_2023()).unwrap();
    // The other window's lock, as its process writes it (the test runner's parent: a live process).
    let lock = draft_guard::lock_path(&path);
    let other = std::os::unix::process::parent_id();
    fs::write(&lock, format!("pid={other}\nhost={}\nuser=张三\ntime=2026-12-03 09:00:00\ntoken=x\n", draft_guard::host_name())).unwrap();
    let original = fs::read(&path).unwrap();
    let unit = Location::new(Form::A2, None, "header", "unit");

    // 只读打开: the figures are shown, saving to the draft is refused, the file stays.
    let (mut b, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    let Some(Dialog::Locked { holder, .. }) = b.dialog.clone() else { panic!("expected the lock question, got {:?}", b.dialog) };
    assert!(holder.contains("张三") && holder.contains(&other.to_string()), "{holder}");
    assert_eq!(b.path, None, "nothing is opened before the answer");
    let _ = b.update(Message::DialogKey(true));
    assert!(b.read_only && b.path.as_deref() == Some(path.as_path()));
    set(&mut b, &unit, "只读窗口的修改");
    assert!(!b.save_to(&path));
    assert!(b.banner.as_ref().is_some_and(|x| x.text.contains("只读")), "{:?}", b.banner);
    assert_eq!(fs::read(&path).unwrap(), original);
    assert!(fs::read_to_string(&lock).unwrap().contains("张三"), "the other window's lock stays");
    drop(b);

    // 仍然打开 takes the draft; then window A (this process) saves it behind B's back.
    let (mut b, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    let _ = b.update(Message::Locked(LockChoice::Anyway));
    assert!(!b.read_only && b.dialog.is_none());
    assert!(!fs::read_to_string(&lock).unwrap().contains("张三"), "the lock is B's now");
    let (mut a, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    set(&mut a, &unit, "A窗口保存的单位");
    assert!(a.save_to(&path));
    let saved_by_a = fs::read(&path).unwrap();

    set(&mut b, &unit, "B窗口的单位");
    assert!(!b.save_to(&path), "B does not overwrite A's save unasked");
    assert_eq!(b.dialog, Some(Dialog::ChangedOnDisk(path.clone())));
    assert_eq!(fs::read(&path).unwrap(), saved_by_a);
    let _ = b.update(Message::ChangedOnDisk(ConflictChoice::Cancel));
    assert!(b.dialog.is_none() && b.doc.dirty);
    let _ = b.update(Message::Save);
    assert_eq!(b.dialog, Some(Dialog::ChangedOnDisk(path.clone())), "asked again");
    let _ = b.update(Message::DialogKey(false));
    assert_eq!(fs::read(&path).unwrap(), saved_by_a, "Esc overwrites nothing");
    let _ = b.update(Message::Save);
    let _ = b.update(Message::ChangedOnDisk(ConflictChoice::Overwrite));
    assert!(!b.doc.dirty);
    assert_eq!(draft::load(&path).unwrap().unit, "B窗口的单位");
    assert_eq!(fs::read(draft::backup_path(&path)).unwrap(), saved_by_a, "A's save is the .bak");
    // B's next save is of its own file: no question.
    set(&mut b, &unit, "B窗口再改");
    assert!(b.save_to(&path) && b.dialog.is_none());
    drop((a, b));
    assert!(!lock.exists(), "closing the draft removes its lock");
}
