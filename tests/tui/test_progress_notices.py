"""The full-screen game tells the player, once, when progress cannot be read or saved, and goes on."""

from gradquest.store.progress import ProgressStore
from gradquest.tui.app import GradQuestApp
from gradquest.tui.chapter_map import ChapterMap
from gradquest.tui.level_screen import LevelScreen


def notices(app) -> list[str]:
    """From now on, every notification the game sends the player (through the public `notify`)."""
    said, notify = [], app.notify

    def recorded(message, *args, **kwargs):
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recorded
    return said


async def test_a_save_that_fails_is_a_warning_and_the_game_goes_on(levels_dir, tmp_path):
    home = tmp_path / "home-is-a-file"
    home.write_text("not a folder")
    app = GradQuestApp("en", store=ProgressStore(home), levels_dir=levels_dir)
    app.animation_level = "none"
    said = notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LevelScreen)
        for typed in ("", "6", "-6"):
            await pilot.press(*typed, "enter") if typed else await pilot.press("enter")
            await pilot.pause()
        assert len([n for n in said if "could not be saved" in n]) == 1 and app.is_running


async def test_an_unreadable_progress_file_is_reported_and_kept(levels_dir, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.json").write_bytes(b"\xff\xfe\x00garbage")
    app = GradQuestApp("zh", store=ProgressStore(home), levels_dir=levels_dir)
    app.animation_level = "none"
    said = notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChapterMap)
        assert any("不会保存" in n for n in said)
        await pilot.press("l")  # changing the language saves the settings: not over this file
        await pilot.pause()
    assert (home / "progress.json").read_bytes() == b"\xff\xfe\x00garbage"


async def test_a_progress_file_linked_out_of_its_folder_is_reported_and_kept(levels_dir, tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere.json"
    home.mkdir()
    elsewhere.write_text('{"levels": {}}')
    (home / "progress.json").symlink_to(elsewhere)
    app = GradQuestApp("zh", store=ProgressStore(home), levels_dir=levels_dir)
    app.animation_level = "none"
    said = notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("进度文件夹之外" in n and "不会保存" in n for n in said)
        await pilot.press("l")
        await pilot.pause()
    assert (home / "progress.json").is_symlink() and elsewhere.read_text() == '{"levels": {}}'


async def test_a_theme_of_the_wrong_type_is_reported_with_the_copy_kept(levels_dir, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.json").write_text('{"settings": {"lang": "en", "theme": 5}, "levels": {}}')
    app = GradQuestApp("en", store=ProgressStore(home), levels_dir=levels_dir)
    app.animation_level = "none"
    said = notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        aside = [p.name for p in home.iterdir() if p.name.startswith("progress.bad-")]
        assert len(aside) == 1 and any("settings.theme" in n and aside[0] in n for n in said)
