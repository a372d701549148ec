"""A smaller ICU data library for the Linux bundle (called by installers/sotay.spec).

The PySide6 wheel's libicudata.so.NN (31 MB) holds ICU's data for every language: Qt Core
links ICU, but reads little of it (collation for sorting file names and lists, the
normalization tables, a few locale resources). This keeps the root, English and Vietnamese
locale data, the collation, normalization, time zone and converter-alias tables, and drops
the other languages' names and collations, the code-page converters (the app reads and
writes UTF-8 only, through Python), the break-iterator dictionaries and transliterators.
The kept items are repackaged with ICU's icupkg and linked into a library of the same name
and symbol (``icudtNN_dat``) with gcc. Windows has no ICU in the bundle: this is Linux only.

Needs ``icupkg`` (Debian icu-devtools), ``gcc``, ``readelf``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

LANGUAGES = ("root", "en", "en_US", "vi", "vi_VN")
# whole-package tables (the locale-independent data) kept as they are
KEEP_SUFFIXES = (".nrm", ".icu", ".spp", ".cfu")
KEEP_NAMES = ("res_index.res", "pool.res", "likelySubtags.res", "supplementalData.res",
              "metadata.res", "zoneinfo64.res", "metaZones.res", "timezoneTypes.res",
              "windowsZones.res", "keyTypeData.res", "numberingSystems.res",
              "icuver.res", "icustd.res", "plurals.res", "dayPeriods.res",
              "grammaticalFeatures.res", "units.res", "currencyNumericCodes.res",
              "genderList.res", "pluralRanges.res")


def keep(item: str) -> bool:
    """``item`` is a name inside the package without its prefix, e.g. ``coll/vi.res``."""
    name = item.rsplit("/", 1)[-1]
    folder = item.rsplit("/", 1)[0] if "/" in item else ""
    if folder in ("brkitr", "translit"):
        return False
    if name.endswith(".cnv"):
        return False
    if name.endswith(KEEP_SUFFIXES) or name in KEEP_NAMES:
        return not name.endswith(".dict")
    if name.endswith(".res"):
        return name[:-4] in LANGUAGES
    return True


def _symbol(lib: Path) -> tuple[str, int, int]:
    """The data symbol's name, file offset and size."""
    syms = subprocess.run(["readelf", "-Ws", "--dyn-syms", str(lib)], check=True,
                          capture_output=True, text=True).stdout
    found = re.search(r":\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\w+\s+(\d+)\s+"
                      r"(icudt\d+_dat)", syms)
    if found is None:
        raise RuntimeError(f"no icudtNN_dat symbol in {lib}")
    address, size, section = int(found[1], 16), int(found[2], 0), int(found[3])
    headers = subprocess.run(["readelf", "-WS", str(lib)], check=True, capture_output=True,
                             text=True).stdout
    row = re.search(rf"\[\s*{section}\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", headers)
    if row is None:
        raise RuntimeError(f"no section {section} in {lib}")
    return found[4], address - int(row[1], 16) + int(row[2], 16), size


def slim(lib: Path, work: Path) -> Path:
    """A copy of ``lib`` (libicudata.so.NN) holding only the kept items; returns its path."""
    for tool in ("icupkg", "gcc", "readelf"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is needed to build the bundle (apt-get install "
                               "icu-devtools gcc binutils)")
    work.mkdir(parents=True, exist_ok=True)
    symbol, offset, size = _symbol(lib)
    name = symbol[:-len("_dat")] + "l.dat"   # icupkg wants the package's own name
    full = work / name
    with lib.open("rb") as f:
        f.seek(offset)
        full.write_bytes(f.read(size))
    listing = subprocess.run(["icupkg", "-l", str(full)], check=True, capture_output=True,
                             text=True).stdout.split()
    dropped = [item for item in listing if not keep(item)]
    (work / "drop.txt").write_text("\n".join(dropped) + "\n")
    (work / "small").mkdir(exist_ok=True)
    small = work / "small" / name
    small.unlink(missing_ok=True)
    subprocess.run(["icupkg", "-r", str(work / "drop.txt"), str(full), str(small)],
                   check=True, capture_output=True, cwd=work)
    source = work / "icudata.S"
    source.write_text(f"""\t.section .rodata
\t.globl {symbol}
\t.type {symbol}, @object
\t.balign 16
{symbol}:
\t.incbin "{small}"
\t.size {symbol}, . - {symbol}
\t.section .note.GNU-stack,"",@progbits
""")
    out = work / lib.name
    subprocess.run(["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{lib.name}", "-o", str(out),
                    str(source)], check=True, capture_output=True)
    return out
