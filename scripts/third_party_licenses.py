#!/usr/bin/env python3
"""Writes THIRD-PARTY-LICENSES.txt: the Rust crates linked into zipin for one target, each with
its licence and the licence texts it ships.

    python3 scripts/third_party_licenses.py TARGET OUT [EXTRA_TITLE EXTRA_FILE]…

The crates are those `cargo metadata --filter-platform TARGET` resolves as normal (not dev-, not
build-only) dependencies of zipin with its default features. A crate's texts are its own LICENSE*,
LICENCE*, COPYING*, NOTICE*, COPYRIGHT* files (and `license-file`). A crate that ships none gets the
licence file of a crate from the same repository with the same licence, else the standard text
from packaging/licenses/ with the crate's authors as the copyright holders. Identical texts are
printed once with the crates that share them. Stops with an error if a crate ends with no text.
Each EXTRA_TITLE/EXTRA_FILE pair appends another section (e.g. the MinGW-w64 runtime's notice).
Needs the crates' sources, i.e. run it after the cargo build that fetched them.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATES = os.path.join(ROOT, "packaging", "licenses")
LICENCE_FILE = re.compile(r"(?i)^(licen[sc]e|copying|notice|copyright)([-_.].*)?$")


def crates(target):
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", target],
        cwd=ROOT, check=True, stdout=subprocess.PIPE).stdout
    meta = json.loads(out)
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = meta["resolve"]["root"]
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for dep in nodes[node]["deps"]:
            if any(kind["kind"] is None for kind in dep["dep_kinds"]):
                stack.append(dep["pkg"])
    seen.discard(root)
    return sorted((packages[i] for i in seen), key=lambda p: (p["name"], p["version"]))


def own_texts(package):
    folder = os.path.dirname(package["manifest_path"])
    names = sorted(f for f in os.listdir(folder)
                   if LICENCE_FILE.match(f) and os.path.isfile(os.path.join(folder, f)))
    if package.get("license_file") and package["license_file"] not in names:
        names.append(package["license_file"])
    texts = []
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
            texts.append(f.read().strip("\n"))
    return texts


def spdx_ids(expression):
    return set(re.findall(r"[A-Za-z0-9.+-]+", (expression or "").replace("/", " OR "))) - {"OR", "AND", "WITH"}


def template_text(package):
    """The standard text of the first licence in the crate's expression that has a template."""
    for spdx in re.findall(r"[A-Za-z0-9.+-]+", (package["license"] or "").replace("/", " OR ")):
        path = os.path.join(TEMPLATES, spdx + ".txt")
        if os.path.isfile(path):
            authors = ", ".join(re.sub(r"\s*<[^>]*>", "", a) for a in package["authors"])
            holder = authors or "the %s authors" % package["name"]
            with open(path, encoding="utf-8") as f:
                return spdx, f.read().replace("{copyright}", holder).strip("\n")
    return None, None


def main():
    if len(sys.argv) < 3 or len(sys.argv) % 2 == 0:
        sys.exit(__doc__)
    target, out = sys.argv[1], sys.argv[2]
    extras = list(zip(sys.argv[3::2], sys.argv[4::2]))
    packages = crates(target)
    texts = {p["id"]: own_texts(p) for p in packages}
    notes = {}
    for p in packages:
        if texts[p["id"]]:
            continue
        sibling = next((q for q in packages if texts[q["id"]] and q.get("repository")
                        and q["repository"].rstrip("/") == (p.get("repository") or "").rstrip("/")
                        and spdx_ids(q["license"]) >= spdx_ids(p["license"])), None)
        if sibling:
            texts[p["id"]] = texts[sibling["id"]]
            notes[p["id"]] = "licence file of %s %s, same repository" % (sibling["name"], sibling["version"])
            continue
        spdx, text = template_text(p)
        if text is None:
            sys.exit("third_party_licenses: %s %s (%s) ships no licence file and there is no template "
                     "in packaging/licenses/ for it" % (p["name"], p["version"], p["license"]))
        texts[p["id"]] = [text]
        notes[p["id"]] = "the crate ships no licence file: standard %s text, its authors as holders" % spdx

    # One copy of each text (compared with whitespace collapsed), with every crate that ships it.
    groups, order = {}, []
    for p in packages:
        for text in texts[p["id"]]:
            key = " ".join(text.split())
            if key not in groups:
                groups[key] = (text, [])
                order.append(key)
            label = "%s %s" % (p["name"], p["version"])
            if label not in groups[key][1]:
                groups[key][1].append(label)

    version = next(p["version"] for p in json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT, check=True,
        stdout=subprocess.PIPE).stdout)["packages"] if p["name"] == "zipin")
    lines = [
        "Third-party software in zipin %s (%s)" % (version, target),
        "",
        "zipin itself is under the MIT licence. Its program file also contains:",
        "- the Rust standard library (MIT OR Apache-2.0, https://github.com/rust-lang/rust);",
        "- the %d Rust crates listed below, each under the licence named (where a crate offers a" % len(packages),
        "  choice, \"A OR B\", zipin uses it under either); their licence texts follow the list.",
        "  Each crate's source code is at the address given and on https://crates.io.",
        "- the font Zipin Sans, a subset of Noto Sans CJK SC, under the SIL Open Font License 1.1",
        "  (its text is in LICENSE-OFL.txt beside this file).",
    ]
    for title, _ in extras:
        lines.append("- %s (its notice is at the end of this file)." % title)
    lines += ["", "", "Crates", "======", ""]
    width = max(len("%s %s" % (p["name"], p["version"])) for p in packages)
    for p in packages:
        label = "%s %s" % (p["name"], p["version"])
        lines.append("%-*s  %s" % (width, label, p["license"] or "(see its licence file)"))
        lines.append("%-*s  %s" % (width, "", p.get("repository") or "https://crates.io/crates/" + p["name"]))
        if p["id"] in notes:
            lines.append("%-*s  (%s)" % (width, "", notes[p["id"]]))
    lines += ["", "", "Licence texts", "=============", ""]
    for key in order:
        text, users = groups[key]
        lines += ["-" * 78, "Used by: " + ", ".join(users), "-" * 78, "", text, "", ""]
    for title, path in extras:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines += ["=" * 78, title, "=" * 78, "", f.read().strip("\n"), "", ""]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip("\n") + "\n")
    print("%s: %d crates, %d distinct licence texts, %d bytes"
          % (out, len(packages), len(order), os.path.getsize(out)))


if __name__ == "__main__":
    main()
