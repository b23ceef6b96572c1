"""Text from a pack never drives the terminal: a control character in a pack is refused
at its file and line, and a file name holding one is shown escaped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_robustness_packs import good_pack

ESCAPES = (b"\x1b", b"\x07", b"\x9b", "\u009b".encode())


def test_scenarios_list_prints_no_escape_from_a_pack_or_its_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "friendly.yaml").write_text(good_pack("friendly", "friendly-one"), encoding="utf-8")
    hostile = good_pack("hostile", "hostile-one").replace(
        'statement: "The', 'statement: "\\e]0;owned\\a\\e[2JThe'
    )
    named = folder / "evil\x1b]0;owned\x07.yaml"
    named.write_text(hostile, encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "listen_trainer", "scenarios", "list", "--packs", str(folder)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    output = done.stdout + done.stderr
    assert not any(escape in output for escape in ESCAPES), output
    text = output.decode("utf-8")
    assert "friendly-one" in text
    assert "hostile-one" not in done.stdout.decode("utf-8")
    shown = "evil\\x1b]0;owned\\x07.yaml:6: scenarios[0].statement: holds a control character"
    assert shown in text
