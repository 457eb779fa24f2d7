"""Issue 8, losing data: where an export writes, it never deletes or replaces what is not its own.

Real folders, symlinks, devices and FIFOs on disk; the command runs in-process.
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

import canus

from conftest import BAD, ROOT, invoke, run_canus


@pytest.fixture
def small(mini_root) -> tuple[Path, bytes]:
    """A small dataset of its own (others may edit data/ while tests run) and its N-Triples."""
    root = mini_root(BAD / "_base.ttl")
    return root, canus.export(canus.load(root), "nt")


@pytest.fixture
def umask_022():
    """Run with the usual umask, whatever the test runner had."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_csv_export_refuses_a_folder_of_someone_elses_files(tmp_path):
    docs = tmp_path / "mydocs"
    (docs / "chapters").mkdir(parents=True)
    (docs / "thesis.tex").write_text("years of work", encoding="utf-8")
    (docs / "chapters" / "one.tex").write_text("chapter", encoding="utf-8")
    docs.chmod(0o755)
    proc = invoke("export", "--format", "csv", "-o", str(docs))
    assert proc.exit_code == 2
    assert proc.stderr == (
        f"canus: error: {docs}: folder is not empty and holds no canus csv export; "
        "choose an empty or new folder, or pass --force to write the tables into it "
        "(other files are kept)\n"
    )
    assert (docs / "thesis.tex").read_text(encoding="utf-8") == "years of work"
    assert (docs / "chapters" / "one.tex").is_file()
    assert sorted(p.name for p in docs.iterdir()) == ["chapters", "thesis.tex"]
    assert stat.S_IMODE(docs.stat().st_mode) == 0o755


def test_csv_export_into_the_data_folder_keeps_the_turtle(tmp_path):
    for name in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    before = sorted(p.name for p in (tmp_path / "data").iterdir())
    proc = invoke("export", "--format", "csv", "-o", "data", cwd=tmp_path)
    assert proc.exit_code == 2 and "pass --force" in proc.stderr
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == before


def test_force_writes_the_tables_beside_other_files(kg, tmp_path):
    docs = tmp_path / "mydocs"
    docs.mkdir()
    (docs / "notes.txt").write_text("mine", encoding="utf-8")
    proc = invoke("export", "--format", "csv", "-o", str(docs), "--force")
    assert proc.exit_code == 0, proc.stderr
    assert (docs / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (docs / "Agency.csv").is_file() and (docs / ".canus-export.json").is_file()
    # now it holds a canus export: a second run needs no --force and keeps notes.txt
    assert invoke("export", "--format", "csv", "-o", str(docs)).exit_code == 0
    assert (docs / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_new_csv_folder_follows_the_umask(kg, tmp_path, umask_022):
    canus.export(kg, "csv", tmp_path / "tables")
    assert stat.S_IMODE((tmp_path / "tables").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "tables" / "Agency.csv").stat().st_mode) == 0o644


def test_replacing_a_csv_export_keeps_the_folder_and_its_mode(kg, tmp_path, umask_022):
    out = tmp_path / "tables"
    canus.export(kg, "csv", out)
    out.chmod(0o750)
    inode = out.stat().st_ino
    canus.export(kg, "csv", out)
    assert out.stat().st_ino == inode
    assert stat.S_IMODE(out.stat().st_mode) == 0o750


def test_output_through_a_symlink_writes_its_target(small, tmp_path):
    root, expected = small
    real = tmp_path / "real.nt"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.nt"
    link.symlink_to(real)
    proc = invoke("export", "--root", str(root), "--format", "nt", "-o", str(link))
    assert proc.exit_code == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == expected


def test_a_dangling_symlink_is_written_through_to_a_new_file(kg, tmp_path):
    link = tmp_path / "link.nt"
    link.symlink_to(tmp_path / "new.nt")
    assert invoke("export", "--format", "nt", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and (tmp_path / "new.nt").stat().st_size > 1000


def test_dev_null_and_dev_stdout(tmp_path):
    proc = invoke("export", "--format", "nt", "-o", "/dev/null")
    assert proc.exit_code == 0, proc.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    # /dev/stdout is the process's own stdout: a real process shows it
    proc = run_canus("export", "--format", "nt", "-o", "/dev/stdout", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("<https://w3id.org/canus/")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_an_error_and_stays_a_device():
    proc = invoke("export", "--format", "nt", "-o", "/dev/full")
    assert proc.exit_code == 2
    assert proc.stderr == "canus: error: /dev/full: cannot write: No space left on device\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_through(small, tmp_path):
    root, expected = small
    fifo = tmp_path / "pipe.nt"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = invoke("export", "--root", str(root), "--format", "nt", "-o", str(fifo))
    reader.join(timeout=30)
    assert proc.exit_code == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received == [expected]


def test_new_file_follows_the_umask_and_replaced_file_keeps_its_mode(tmp_path):
    old = os.umask(0o027)
    try:
        target = tmp_path / "canus.nt"
        assert invoke("export", "--format", "nt", "-o", str(target)).exit_code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        target.chmod(0o644)
        assert invoke("export", "--format", "nt", "-o", str(target)).exit_code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    finally:
        os.umask(old)


def test_dash_is_stdout(tmp_path):
    proc = invoke("export", "--format", "nt", "-o", "-", cwd=tmp_path)
    assert proc.exit_code == 0, proc.stderr
    assert proc.stdout.startswith("<https://w3id.org/canus/")
    assert list(tmp_path.iterdir()) == []
