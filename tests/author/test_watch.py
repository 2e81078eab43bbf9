"""`--watch`: run again after every save of a level file (a new file too), and not otherwise."""

from gradquest.author.watch import watch


def test_watch_runs_again_after_each_save_and_only_then(tmp_path):
    level = tmp_path / "a.yaml"
    level.write_text("one", encoding="utf-8")
    runs, saves = [], iter([lambda: None, lambda: level.write_text("two, longer", encoding="utf-8"), lambda: None,
                            lambda: (tmp_path / "b.yaml").write_text("new", encoding="utf-8"), lambda: None])

    def sleep(_):
        next(saves)()

    watch(lambda: sorted(tmp_path.glob("*.yaml")), lambda: runs.append(len(runs)), rounds=5, sleep=sleep)
    assert runs == [0, 1, 2]  # the first run, then one per save (a new file counts)


def test_the_full_screen_game_reloads_a_saved_file(tmp_path):
    from gradquest.tui.app import GradQuestApp

    level = tmp_path / "a.yaml"
    level.write_text("x", encoding="utf-8")
    app = GradQuestApp(level_file=level, watch=True)
    app._saved_at = app._mtime()
    reloaded = []

    class Screen:
        def action_reload(self):
            reloaded.append(True)

    type(app).screen = property(lambda self: Screen())  # only the screen's reload is looked at here
    try:
        app.reload_if_saved()
        level.write_text("xy", encoding="utf-8")
        app.reload_if_saved()
    finally:
        del type(app).screen
    assert reloaded == [True]


def test_check_watch_looks_at_chapter_files_too(tmp_path, monkeypatch):
    import gradquest.author.watch as watching
    from gradquest import cli

    chapter, level = tmp_path / "1-a" / "chapter.yaml", tmp_path / "1-a" / "a.yaml"
    chapter.parent.mkdir()
    chapter.write_text("format_version: 1\nchapter: 1\ntitle: A\n", encoding="utf-8")
    level.write_text("x", encoding="utf-8")
    watched = []
    monkeypatch.setattr(watching, "watch", lambda find, run, **_: watched.extend(find()))
    assert cli.main(["check", "--watch", str(tmp_path)]) == 0
    assert sorted(watched) == [level, chapter]  # a saved chapter file is checked again too
