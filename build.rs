//! Windows only: compiles the exe's resources (icon, version information, manifest) with the
//! MinGW resource compiler and links them into the `zipin` binary. Other targets: nothing.
//!
//! The resource compiler is `$WINDRES` if set, else `x86_64-w64-mingw32-windres` (Debian
//! package binutils-mingw-w64-x86-64) when cross-compiling, else `windres` (MSYS2).

use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icons/zipin.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    if env::var("CARGO_CFG_TARGET_ENV").as_deref() != Ok("gnu") {
        println!("cargo:warning=zipin: resources (icon, version) are only built for the -gnu Windows targets");
        return;
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let version = env::var("CARGO_PKG_VERSION").unwrap();
    // x.y.z[-pre] → x,y,z,0
    let mut nums: Vec<u16> =
        version.split(['.', '-', '+']).take(3).map(|n| n.parse().unwrap_or(0)).collect();
    nums.resize(4, 0);
    let comma = nums.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
    let dotted = nums.iter().map(u16::to_string).collect::<Vec<_>>().join(".");
    let arch = match env::var("CARGO_CFG_TARGET_ARCH").as_deref() {
        Ok("x86_64") => "amd64",
        Ok("x86") => "x86",
        Ok("aarch64") => "arm64",
        _ => "*",
    };

    let manifest = out.join("zipin.manifest");
    fs::write(&manifest, MANIFEST.replace("{version}", &dotted).replace("{arch}", arch)).unwrap();
    let rc = out.join("zipin.rc");
    let slash = |p: PathBuf| p.display().to_string().replace('\\', "/");
    let text = RC
        .replace("{icon}", &slash(root.join("assets/icons/zipin.ico")))
        .replace("{manifest}", &slash(manifest))
        .replace("{comma}", &comma)
        .replace("{version}", &version);
    fs::write(&rc, text).unwrap();

    let windres = env::var("WINDRES").unwrap_or_else(|_| {
        let cross = env::var("HOST").ok() != env::var("TARGET").ok();
        match env::var("CARGO_CFG_TARGET_ARCH").as_deref() {
            Ok("x86_64") if cross => "x86_64-w64-mingw32-windres".into(),
            Ok("x86") if cross => "i686-w64-mingw32-windres".into(),
            _ => "windres".into(),
        }
    });
    let obj = out.join("zipin-res.o");
    let status = Command::new(&windres)
        .args(["--codepage=65001", "--input-format=rc", "--output-format=coff", "-i"])
        .arg(&rc)
        .arg("-o")
        .arg(&obj)
        .status()
        .unwrap_or_else(|e| panic!("zipin: cannot run {windres} ({e}); on Debian: apt-get install binutils-mingw-w64-x86-64"));
    assert!(status.success(), "zipin: {windres} failed on {}", rc.display());
    // An object file (not a static library, whose unreferenced members the linker would drop).
    println!("cargo:rustc-link-arg-bins={}", obj.display());
}

const RC: &str = r#"#pragma code_page(65001)
LANGUAGE 0x04, 0x02
1 ICON "{icon}"
1 24 "{manifest}"
1 VERSIONINFO
FILEVERSION {comma}
PRODUCTVERSION {comma}
FILEFLAGSMASK 0x3f
FILEFLAGS 0x0
FILEOS 0x40004
FILETYPE 0x1
FILESUBTYPE 0x0
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404b0"
    BEGIN
      VALUE "FileDescription", "绩效自评"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "zipin"
      VALUE "LegalCopyright", "MIT License; Zipin Sans font: SIL Open Font License 1.1"
      VALUE "OriginalFilename", "zipin.exe"
      VALUE "ProductName", "绩效自评 (zipin)"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0804, 1200
  END
END
"#;

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="zipin" version="{version}" processorArchitecture="{arch}"/>
  <description>绩效自评</description>
  <dependency>
    <dependentAssembly>
      <assemblyIdentity type="win32" name="Microsoft.Windows.Common-Controls" version="6.0.0.0"
                        processorArchitecture="*" publicKeyToken="6595b64144ccf1df" language="*"/>
    </dependentAssembly>
  </dependency>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security>
      <requestedPrivileges>
        <requestedExecutionLevel level="asInvoker" uiAccess="false"/>
      </requestedPrivileges>
    </security>
  </trustInfo>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application>
      <supportedOS Id="{35138b9a-5d96-4fbd-8e2d-a2440225f93a}"/>
      <supportedOS Id="{4a2f28e3-53b9-4441-ba9c-d69d4a4a6e38}"/>
      <supportedOS Id="{1f676c76-80e1-4239-95bb-83d0f6d0da78}"/>
      <supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/>
    </application>
  </compatibility>
  <application xmlns="urn:schemas-microsoft-com:asm.v3">
    <windowsSettings>
      <dpiAware xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">true/pm</dpiAware>
      <dpiAwareness xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">PerMonitorV2, PerMonitor</dpiAwareness>
      <longPathAware xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">true</longPathAware>
    </windowsSettings>
  </application>
</assembly>
"#;
