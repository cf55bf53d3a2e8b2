#!/usr/bin/env python3
"""Subset Noto Sans CJK SC Regular to the GBK repertoire and rename it "Zipin Sans".

Usage: subset_font.py SOURCE.ttc OUTPUT.otf

Called by scripts/subset-font.sh. The output is deterministic: the same
source font and fontTools version give byte-identical output.
"""
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

SOURCE_FAMILY = "Noto Sans CJK SC"
FAMILY = "Zipin Sans"
STYLE = "Regular"
FULL_NAME = "Zipin Sans Regular"
PS_NAME = "ZipinSans-Regular"


def gbk_chars():
    """Every character encodable as a GBK double-byte sequence."""
    out = set()
    for hi in range(0x81, 0xFF):
        for lo in range(0x40, 0xFF):
            if lo == 0x7F:
                continue
            try:
                s = bytes([hi, lo]).decode("gbk")
            except UnicodeDecodeError:
                continue  # unassigned / user-defined areas
            out.update(ord(c) for c in s)
    return out


def repertoire():
    cps = gbk_chars()
    ranges = [
        (0x0020, 0x007E),  # ASCII
        (0x00A0, 0x00FF),  # Latin-1 supplement (punctuation, × ÷, ° ± etc.)
        (0x2000, 0x206F),  # General punctuation
        (0x20A0, 0x20CF),  # Currency symbols (€)
        (0x2100, 0x214F),  # Letterlike symbols (℃ № ™)
        (0x2150, 0x218F),  # Number forms (Ⅰ Ⅱ ...)
        (0x2190, 0x21FF),  # Arrows
        (0x2200, 0x22FF),  # Mathematical operators (≥ ≤ ≠ √ ∑ ...)
        (0x2460, 0x24FF),  # Enclosed alphanumerics (①–⑳ ...)
        (0x2500, 0x257F),  # Box drawing
        (0x25A0, 0x25FF),  # Geometric shapes (□ ■ ○ ● ...)
        (0x2600, 0x26FF),  # Misc symbols (★ ☆ ...)
        (0x2700, 0x27BF),  # Dingbats (✓ ✔ ✗ ✘)
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0x3200, 0x32FF),  # Enclosed CJK (㈠ ...)
        (0x3300, 0x33FF),  # CJK compatibility (㎡ ㎏ ...)
        (0xFE30, 0xFE4F),  # CJK compatibility forms
        (0xFF00, 0xFFEF),  # Half-width and full-width forms
        (0xFFFD, 0xFFFD),  # Replacement character
    ]
    for a, b in ranges:
        cps.update(range(a, b + 1))
    return cps


def find_face(path):
    coll = TTCollection(path, lazy=True)
    for i, f in enumerate(coll.fonts):
        if f["name"].getDebugName(1) == SOURCE_FAMILY:
            return i
    sys.exit(f"error: no face with family {SOURCE_FAMILY!r} in {path}")


def rename(font, src_version):
    name = font["name"]
    # Replace every existing record of these IDs, in every language.
    ids = (0, 1, 2, 3, 4, 5, 6, 13, 16, 17)
    old_copyright = name.getDebugName(0) or ""
    old_license = name.getDebugName(13) or ""
    name.names = [n for n in name.names if n.nameID not in ids]
    copyright_ = (
        f"{old_copyright} Modified version of {SOURCE_FAMILY} Regular "
        f"(subset to the GBK repertoire and renamed \"{FAMILY}\" by the zipin project)."
    )
    license_ = (
        f"{old_license} {FAMILY} is a Modified Version of {SOURCE_FAMILY} "
        "(Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font "
        "Name 'Source') and is distributed under the SIL Open Font License, "
        "Version 1.1."
    )
    records = {
        0: copyright_,
        1: FAMILY,
        2: STYLE,
        3: f"{src_version};ZIPIN;{PS_NAME}",
        4: FULL_NAME,
        5: f"Version {src_version}; subset of {SOURCE_FAMILY} {src_version}",
        6: PS_NAME,
        13: license_,
        16: FAMILY,
        17: STYLE,
    }
    for nid, text in records.items():
        name.setName(text, nid, 3, 1, 0x409)  # Windows, Unicode BMP, en-US

    cff = font["CFF "].cff
    old_ps = cff.fontNames[0]
    cff.fontNames = [PS_NAME]
    top = cff.topDictIndex[0]
    top.FullName = FULL_NAME
    top.FamilyName = FAMILY
    top.Notice = (
        "Copyright 2014-2021 Adobe (http://www.adobe.com/). "
        f"Modified version of {SOURCE_FAMILY}; SIL Open Font License 1.1."
    )
    if hasattr(top, "FDArray"):
        for fd in top.FDArray:
            fn = getattr(fd, "FontName", None)
            if fn and fn.startswith(old_ps):
                fd.FontName = PS_NAME + fn[len(old_ps):]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    index = find_face(src)

    font = TTFont(src, fontNumber=index, recalcTimestamp=False)
    src_version = f"{font['head'].fontRevision:.3f}"
    created = font["head"].created

    opts = subset.Options()
    opts.layout_features = []          # no GSUB/GPOS features
    opts.hinting = False               # drop CFF hints
    opts.name_IDs = ["*"]              # keep all names; we rewrite some below
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.drop_tables += ["BASE", "VORG", "vhea", "vmtx", "GSUB", "GPOS", "GDEF"]
    opts.recalc_timestamp = False
    sub = subset.Subsetter(options=opts)
    sub.populate(unicodes=sorted(repertoire()))
    sub.subset(font)

    rename(font, src_version)

    # Fixed timestamps for reproducible output.
    font["head"].created = created
    font["head"].modified = created
    font.save(dst, reorderTables=True)

    cmap = font.getBestCmap()
    print(f"{font['maxp'].numGlyphs} glyphs, {len(cmap)} code points, "
          f"source face #{index} ({SOURCE_FAMILY} {src_version})")


if __name__ == "__main__":
    main()
