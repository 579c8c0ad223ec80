"""A stop must stop: a process whose first Ctrl-C is lost (swallowed where it landed) is asked again
and ends, its temporary folder removed (ui/scratch.py)."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SWALLOWS_THE_FIRST = """
import sys, time
from pathlib import Path
from ui.scratch import open_scratch
folder = open_scratch(Path(sys.argv[1]))
print(folder, flush=True)
try:
    while True:
        time.sleep(0.1)
except KeyboardInterrupt:
    pass  # lost, as in the framework's start once
while True:  # serving on
    time.sleep(0.1)
"""


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_a_lost_stop_is_asked_again_and_the_process_ends(how, tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", SWALLOWS_THE_FIRST, str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    folder = Path(proc.stdout.readline().strip())
    assert folder.is_dir()
    time.sleep(0.5)
    proc.send_signal(how)
    assert proc.wait(60) is not None  # the second signal, five seconds later, is not swallowed
    assert not folder.exists()
    assert "sending it again" in proc.stderr.read()
