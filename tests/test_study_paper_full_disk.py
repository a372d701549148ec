"""A study paper saved to a full USB stick (issue 21, attack): the refusal names the stick
where the paper was going, not the branch's data folder (which had room: the message sent
the secretary to clear the wrong disk), and no half file or temporary file is left. A real
full tmpfs (``tests/small_disk``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import small_disk

needs_small_disk = pytest.mark.skipif(not small_disk.available(),
                                      reason="no user namespaces for a small tmpfs")


@needs_small_disk
def test_a_paper_to_a_full_stick_names_the_stick_and_leaves_nothing(demo_dir: Path,
                                                                     tmp_path: Path) -> None:
    data = tmp_path / "branch"
    shutil.copytree(demo_dir, data)
    stick = tmp_path / "usb"
    result = small_disk.run({stick: "64k"}, small_disk.PRELUDE + f'''
said = {{}}
for kind, name in (("sheets", "phieu.pdf"), ("cards", "the.docx"), ("key", "dap-an.pdf")):
    filler = fill("{stick}")
    argv = ["study", kind] + ([] if kind == "cards" else ["3ee5cb42"])
    said[kind] = sotay(*argv, "-o", "{stick}/" + name, "--data-dir", "{data}")
    filler.unlink()
    said[kind]["left"] = sorted(p.name for p in Path("{stick}").iterdir())
print(json.dumps(said))
''')
    for kind, said in result.items():
        assert said["code"] == 1, (kind, said)
        assert "Ổ đĩa đã đầy" in said["err"], (kind, said["err"])
        assert str(stick) in said["err"] and str(data) not in said["err"], (kind, said["err"])
        assert said["left"] == [], (kind, said["left"])
