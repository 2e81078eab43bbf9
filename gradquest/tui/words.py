"""Every text of the interface, in English and Chinese."""

from gradquest.terminal import served_in_browser

WORDS: dict[str, tuple[str, str]] = {
    "app.title": ("GradQuest", "GradQuest 梯度探险"),
    "map.title": ("Chapter map", "章节地图"),
    "map.continue": ("▶ Continue: {title}", "▶ 继续：{title}"),
    "map.next": ("▶ Next: {title}", "▶ 下一关：{title}"),
    "map.locked": ("Finish the level before it to open this one.", "先完成前一关，才能打开这一关。"),
    "map.empty": ("No levels found.", "没有找到关卡。"),
    "map.summary": ("What this chapter teaches", "本章要点"),
    "map.progress": ("{done} of {total} levels done · {stars} ★", "已完成 {done}/{total} 关 · {stars} ★"),
    "key.quit": ("Quit", "退出"),
    "key.help": ("Help", "帮助"),
    "key.lang": ("中文", "English"),
    "key.palette": ("palette", "命令面板"),
    "key.back": ("Map", "地图"),
    "key.hint": ("Hint", "提示"),
    "key.reveal": ("Show answer", "显示答案"),
    "key.reload": ("Reload file", "重新加载"),
    "key.open": ("Play", "开始"),
    "key.next": ("Next level", "下一关"),
    "key.log": ("Log", "记录"),
    "key.focus": ("Answer box", "输入框"),
    "tab.graph": ("Graph", "计算图"),
    "tab.log": ("Steps", "步骤"),
    "tab.plot": ("Plot", "图像"),
    "level.continue": ("Press Enter to continue.", "按回车继续。"),
    "level.plot_later": ("The plot appears later in this level.", "本关稍后才会出现图。"),
    "level.placeholder": ("answer, Enter · ? hint · ! answer · PgUp/PgDn scroll",
                          "输入答案后回车 · ? 提示 · ! 答案 · PgUp/PgDn 翻页"),
    "level.training": ("Training… step {step}", "训练中……第 {step} 步"),
    "level.hints_left": ("{n} hints left", "还剩 {n} 条提示"),
    "level.hint_left": ("1 hint left", "还剩 1 条提示"),
    "level.wrong_hints": ("Try again · ? a hint ({n} left) · ! show the answer", "再试一次 · ? 提示（还剩 {n} 条）· ! 显示答案"),
    "level.wrong_no_hints": ("Try again · ! show the answer", "再试一次 · ! 显示答案"),
    "level.above": ("↑ {n} lines above (PgUp)", "↑ 上面还有 {n} 行（PgUp）"),
    "level.above_one": ("↑ 1 line above (PgUp)", "↑ 上面还有 1 行（PgUp）"),
    "level.below": ("↓ {n} more below (Enter or PgDn)", "↓ 下面还有 {n} 行（回车或 PgDn）"),
    "level.done": ("Level complete. Press Enter for your results.", "过关！按回车查看成绩。"),
    "level.opening": ("Reading your expression…", "正在读取你的表达式……"),
    "practice.next": ("Exercise done ({asks} of {size} asks). Press Enter for the next one.",
                      "本题完成（已答 {asks}/{size} 题）。按回车做下一题。"),
    "practice.over": ("Round over. Press Enter for its summary.", "本轮结束。按回车查看总结。"),
    "level.too_long": ("An answer has at most {limit} characters: the rest was not typed.",
                       "答案最多 {limit} 个字符：多出的部分没有输入。"),
    "level.tiny": ("Please make the window at least 60×16.", "请把窗口放大到至少 60×16。"),
    "level.reloaded": ("Reloaded {file}", "已重新加载 {file}"),
    "level.broken": ("The level has errors:", "关卡文件有错误："),
    "level.options": ("Options", "选项"),
    "level.node": ("node", "节点"),
    "graph.value": ("value", "值"),
    "graph.grad": ("grad", "梯度"),
    "graph.first": ("first entries", "开头是"),
    "graph.none": ("This level has no computation graph.", "本关没有计算图。"),
    "graph.inputs": ("from", "来自"),
    "graph.too_large": ("Too large to draw ({n} boxes): the graph as a list, a line per value (↑ ↓, Enter).",
                        "计算图太大，画不下（{n} 个框）：改为列表，每个量一行（↑ ↓、回车）。"),
    "graph.too_wide": ("Too wide to draw here: a line per value (F6 again: the drawing).",
                       "图太宽，这里画不下：每个量一行（再按 F6 看图）。"),
    "graph.op": ("Operation {op}, computing {node}", "运算 {op}，用于计算 {node}"),
    "graph.input": ("An input: nothing flows into it.", "输入量：没有别的量流入它。"),
    "result.heading": ("Level complete: {title}", "过关！{title}"),
    "result.score": ("Score", "得分"),
    "result.stars": ("Stars", "星级"),
    "result.hints": ("Hints used", "使用提示"),
    "result.attempts": ("Attempts", "尝试次数"),
    "result.slips": ("The slips you made", "你犯过的错误"),
    "result.more_slips": ("and {n} more", "还有 {n} 处"),
    "result.taught": ("What you learned", "你学到了"),
    "result.next": ("Next: {title}", "下一关：{title}"),
    "result.last": ("That was the last level. Well done!", "这是最后一关。太棒了！"),
    "result.chapter": ("Chapter {n} complete: {title}", "第 {n} 章完成：{title}"),
    "help.title": ("Keys", "按键"),
    "help.served": (
        "**In the browser** the function keys also have Ctrl keys (the key bar shows them): **Ctrl+B** this help, "
        "**Ctrl+Y** a hint (F2), **Ctrl+S** show the answer (F3), **Ctrl+L** the step log (F4), **Ctrl+O** the plot "
        "(F5), **Ctrl+G** the graph (F6). Click the game first: when the page around it has the focus, F5 reloads "
        "the page (your progress is kept). The browser keeps Ctrl+W, Ctrl+T and Ctrl+N for itself.",
        "**在浏览器中**，功能键另有对应的 Ctrl 键（底部按键栏会显示）：**Ctrl+B** 本帮助，**Ctrl+Y** 提示（F2），"
        "**Ctrl+S** 显示答案（F3），**Ctrl+L** 步骤记录（F4），**Ctrl+O** 图像（F5），**Ctrl+G** 计算图（F6）。"
        "请先点一下游戏画面：焦点在网页其他地方时，F5 会刷新网页（进度不会丢失）。Ctrl+W、Ctrl+T、Ctrl+N 由浏览器自己使用。",
    ),
    "help.body": (
        "**Chapter map**\n\n"
        "- ↑ ↓ choose a level, **Enter** play it\n- **l** switch language (English / 中文)\n"
        "- **?** or **F1** this help\n- **q** or **Ctrl+Q** quit (progress is always saved)\n\n"
        "**In a level**\n\n"
        "- type a number (or a vector `1, 2`) and press **Enter**; a choice: its number, or ↑ ↓ and **Enter**\n"
        "- **Enter** on an empty box reads on (the transcript scrolls), then goes on\n"
        "- **PgUp** / **PgDn** / **Home** / **End**: scroll the transcript (typing still goes to the box)\n"
        "- `?` in the empty box, or **F2**: a hint (costs points)\n"
        "- `!` in the empty box, or **F3**: show the answer (no points for this step)\n"
        "- **F4** the step log and the table of iterations, **F5** the plot, **F6** the computation graph: under 110 "
        "columns full-screen, in a wide window beside the transcript (the key again: full-screen); **Esc** restores\n"
        "- in the full-screen graph ← ↑ ↓ → move between its nodes and **Enter** writes a node's rule, with its "
        "numbers once you have worked them out, into the transcript\n"
        "- **Esc**: back to the map (the level resumes where you left it)\n"
        "- **Ctrl+R**: reload the level file (when playing a file)\n\n"
        "Answers may be expressions: `-3*2`, `1/3`, `2e-3`. An unreadable answer costs nothing. "
        "Training takes `lr=0.5 steps=300`, or the values alone in the order shown: `0.5, 300`.\n\n"
        "**Anywhere**: **Ctrl+P** the command palette (themes; the choice is remembered).",
        "**章节地图**\n\n"
        "- ↑ ↓ 选择关卡，**回车** 开始\n- **l** 切换语言（English / 中文）\n"
        "- **?** 或 **F1** 打开本帮助\n- **q** 或 **Ctrl+Q** 退出（进度总会保存）\n\n"
        "**关卡中**\n\n"
        "- 输入一个数（或向量 `1, 2`），按 **回车**；选择题：输入编号，或用 ↑ ↓ 和 **回车**\n"
        "- 输入框为空时按 **回车**：先往下翻阅记录，再继续\n"
        "- **PgUp** / **PgDn** / **Home** / **End**：翻阅记录（输入仍然进入输入框）\n"
        "- 在空输入框里输入 `?`，或 **F2**：提示（会扣分）\n"
        "- 在空输入框里输入 `!`，或 **F3**：显示答案（本步不得分）\n"
        "- **F4** 步骤记录和迭代表，**F5** 图像，**F6** 计算图：窗口窄于 110 列时全屏显示，宽窗口里显示在记录旁边（再按一次：全屏）；**Esc** 还原\n"
        "- 全屏计算图中 ← ↑ ↓ → 在节点间移动，**回车** 把该节点的求导规则（算出来之后带上数值）写进关卡记录\n"
        "- **Esc**：回到地图（下次从离开的地方继续）\n"
        "- **Ctrl+R**：重新加载关卡文件（直接打开文件时）\n\n"
        "答案可以写成算式：`-3*2`、`1/3`、`2e-3`。无法识别的输入不算次数。"
        "训练设置写成 `lr=0.5 steps=300`，或按显示的顺序只写数值：`0.5, 300`。\n\n"
        "**任何地方**：**Ctrl+P** 打开命令面板（可换主题，会被记住）。",
    ),
}


# Served in a browser (`gradquest serve`), each function key also has a Ctrl+letter, listed first so
# the key bar shows it: a Mac's or a Chromebook's keyboard may have no F-keys to spare, and a browser
# whose page is not focused reloads on F5. The letters reached the game in headless Chromium (docs/classroom.md;
# a desktop browser's own shortcuts were not tried) and are none of the answer box's editing keys.
SERVED_KEYS = {"f1": "ctrl+b", "f2": "ctrl+y", "f3": "ctrl+s", "f4": "ctrl+l", "f5": "ctrl+o", "f6": "ctrl+g"}


def translated_bindings(bindings, lang: str):
    """A screen's (or the app's) bindings, as the BindingsMap it keeps, with their key bar labels (word
    keys) in the player's language, and served in a browser, the Ctrl+letters before the F-keys."""
    from dataclasses import replace  # noqa: PLC0415

    from textual.binding import BindingsMap  # noqa: PLC0415

    served = served_in_browser()

    def keys(key: str) -> str:
        named = key.split(",")
        extra = [SERVED_KEYS[k] for k in named if k in SERVED_KEYS] if served else []
        return ",".join(dict.fromkeys(extra + named))

    return BindingsMap([replace(b, key=keys(b.key), description=word(b.description, lang)
                                if b.description in WORDS else b.description) for b in bindings])


def word(key: str, lang: str, **values) -> str:
    en, zh = WORDS[key]
    return (zh if lang == "zh" else en).format(**values)
