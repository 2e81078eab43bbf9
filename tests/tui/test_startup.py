import subprocess
import sys

FIRST_FRAME = """
import sys
from gradquest.cli import build_parser
from gradquest.tui.app import GradQuestApp
from gradquest.tui.chapter_map import ChapterMap

class Once(GradQuestApp):
    def on_ready(self):
        assert isinstance(self.screen, ChapterMap) and self.screen.entries
        self.exit()

Once("en").run(headless=True)
heavy = sorted(m for m in ("numpy", "pydantic", "textual_plotext", "plotext", "gradquest.engine", "grandalf")
               if m in sys.modules)
print(heavy)
"""


def test_the_chapter_map_comes_up_without_the_engine_pydantic_or_plots(tmp_path):
    done = subprocess.run([sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True, timeout=120,
                          env={"GRADQUEST_HOME": str(tmp_path), "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
