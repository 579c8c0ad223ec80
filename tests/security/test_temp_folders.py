"""Item 8 of issue 16: a real `rag serve` keeps its temporary files in one folder under the data
directory; SIGTERM and Ctrl-C (SIGINT) remove it, and after SIGKILL the next start sweeps it."""
from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from tests.ui.conftest import free_port, start_server


def _serve(index_root: Path, data: Path, tmp: Path, log: Path) -> subprocess.Popen:
    return start_server(index_root, free_port(), log, {"RAG_DATA_DIR": str(data), "RAG_DATABASE_URL": "",
                                                        "TMPDIR": str(tmp)})


def _scratch(data: Path, pid: int) -> list[Path]:
    return sorted((data / "tmp").glob(f"{pid}-*"))


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_server_removes_its_temporary_folder(how, assistant, index_root, tmp_path):
    data, tmp = tmp_path / "data", tmp_path / "tmp"
    tmp.mkdir()
    proc = _serve(index_root, data, tmp, tmp_path / "serve.log")
    folders = _scratch(data, proc.pid)
    assert len(folders) == 1 and folders[0].is_dir()
    (folders[0] / "rag-eval-downloads-x").mkdir()  # something in it, as the page's exports put there
    proc.send_signal(how)
    assert proc.wait(60) is not None
    assert _scratch(data, proc.pid) == []
    # nothing of ours left in the system's temporary folder either (Gradio's own cache, gradio/, it ages out itself)
    assert [p.name for p in tmp.iterdir() if p.name != "gradio"] == []
    assert "Traceback" not in (tmp_path / "serve.log").read_text(errors="replace")


def test_a_killed_servers_folder_is_swept_at_the_next_start(assistant, index_root, tmp_path):
    data, tmp = tmp_path / "data", tmp_path / "tmp"
    tmp.mkdir()
    killed = _serve(index_root, data, tmp, tmp_path / "serve1.log")
    killed.kill()
    killed.wait(30)
    assert len(_scratch(data, killed.pid)) == 1  # SIGKILL: nothing could run
    second = _serve(index_root, data, tmp, tmp_path / "serve2.log")
    try:
        assert _scratch(data, killed.pid) == []
        assert len(_scratch(data, second.pid)) == 1
    finally:
        second.terminate()
        second.wait(60)
