"""Every sentence the game says to a player, in English and Chinese."""

from __future__ import annotations

import re

MESSAGES: dict[str, tuple[str, str]] = {
    # unreadable input (no attempt used)
    "input.empty": ("Type a number first.", "请先输入一个数。"),
    "input.parse": ("I can't read that: {reason_en}", "无法读取：{reason_zh}"),
    "input.name": ("'{name}' is not a number. Type a number, or arithmetic such as 2/3 or sqrt(2).",
                   "'{name}' 不是数。请输入一个数，或 2/3、sqrt(2) 这样的算式。"),
    "input.not_finite": ("That is not a finite number.", "这不是一个有限的数。"),
    "input.vector_empty": ("Type the {expected} numbers first, like (2.4, 0.9).", "请先输入 {expected} 个数，例如 (2.4, 0.9)。"),
    "input.vector_size": ("Expected {expected} {expected?number|numbers}, like {expected?2.4|(2.4, 0.9)}; found {found}.",
                          "需要 {expected} 个数，例如 {expected?2.4|(2.4, 0.9)}；你输入了 {found} 个。"),
    "input.matrix": ("Type the {rows}×{cols} matrix row by row: [[1, 2, 3], [4, 5, 6]], or 1 2 3; 4 5 6.",
                     "请逐行输入这个 {rows}×{cols} 矩阵：[[1, 2, 3], [4, 5, 6]]，或 1 2 3; 4 5 6。"),
    "input.matrix_ragged": ("Row {row} has {found} {found?entry|entries}, the first row {width}: every row of a matrix "
                            "is as long as the others.", "第 {row} 行有 {found} 个数，第一行有 {width} 个：矩阵每行一样长。"),
    "input.choice": ("Answer with the number of an option, 1 to {count}.", "请输入选项的编号，1 到 {count}。"),
    "input.choice_which": ("Did you mean option {n} ({text}) or the option that says {said} (option {m})? "
                           "Type the option's number.",
                           "你是指选项 {n}（{text}），还是写着 {said} 的那个选项（选项 {m}）？请输入选项的编号。"),
    "input.permutation": ("Give the numbers 1 to {count}, each once, in your order (e.g. 2 1 3).",
                          "请按你的顺序给出 1 到 {count}，每个数一次（例如 2 1 3）。"),
    "input.pairs": ("Match every item once, like 1b 2a 3c.", "每项配对一次，例如 1b 2a 3c。"),
    "input.settings": ("Write settings as name=value ({names}), or the values alone in that order, "
                       "or press Enter for the defaults.",
                       "请用 名字=值 的形式输入设置（{names}），或按这个顺序只写数值，或直接回车使用默认值。"),
    "input.probe_range": ("{name} must be between {min} and {max}; nothing was counted.",
                          "{name} 必须在 {min} 与 {max} 之间；本次不计。"),
    "input.setting_range": ("{name} must be between {min} and {max}.", "{name} 必须在 {min} 与 {max} 之间。"),
    "input.too_long": ("That is {length} characters long; an answer has at most {limit}. Nothing was counted.",
                       "输入有 {length} 个字符，答案最多 {limit} 个。本次不计。"),
    "input.decimal_comma": ("'{found}': use a point for decimals, like {number}.",
                            "'{found}'：小数请用小数点，例如 {number}。"),
    "input.vector_comma": ("'{found}' looks like a decimal comma: use a point for decimals ({number}), and write "
                           "the numbers with spaces or in parentheses, like (1, 5) or 1 5.",
                           "'{found}' 像是用逗号写的小数：小数请用小数点（{number}）；几个数之间用空格分开或写在括号里，"
                           "例如 (1, 5) 或 1 5。"),
    "input.unexpected": ("I can't read that; nothing was counted. Type a number, like 2.5 or -1/3.",
                         "无法读取这个输入，本次不计。请输入一个数，例如 2.5 或 -1/3。"),
    "input.done": ("This step is finished; move on.", "这一步已完成，请继续。"),
    # the progress file
    "progress.unreadable": ("{path} could not be read ({reason}). It is left as it is, and this game's progress "
                            "will not be saved.",
                            "无法读取 {path}（{reason}）。文件保持原样，本次游戏的进度不会保存。"),
    "progress.repaired": ("{count} {count?entry|entries} in {path} could not be read ({names}) and "
                          "{count?was|were} reset; "
                          "the file as it was is kept as {aside}.",
                          "{path} 中有 {count} 项记录或设置无法读取（{names}），已重置；原文件另存为 {aside}。"),
    "progress.save_failed": ("Progress could not be saved to {path}: {reason}. The game goes on.",
                             "进度无法保存到 {path}：{reason}。游戏继续。"),
    # verdicts
    "correct": ("Correct.", "正确。"),
    "correct.yours": ("Correct, from your own earlier numbers (the exact value is {exact}).",
                      "正确——按你之前的数算得（精确值为 {exact}）。"),
    "wrong": ("Not quite.", "还不对。"),
    "answer.revealed": ("Answer: {answer} — shown, no points.", "答案：{answer}（已显示，本步不得分）。"),
    "correct.guess": ("Correct, guess {n}. Halving the numbers left needs at most {par}: full points up to {par}, "
                      "{cost} fewer per guess past it.",
                      "正确，第 {n} 次猜中。每次取剩下的数的中间值，最多 {par} 次就能猜中：{par} 次以内得满分，每多一次少 {cost} 分。"),
    "tried_already": ("You already tried that: it is not the answer (no attempt used).",
                      "这个你已经试过了，它不是答案（不算一次尝试）。"),
    "out_of_tries": ("Out of tries. The answer: {answer}.", "次数用完了。答案是：{answer}。"),
    "wrong.too_big": ("Not quite: your answer is too big.", "还不对：你的答案偏大。"),
    "wrong.too_small": ("Not quite: your answer is too small.", "还不对：你的答案偏小。"),
    "diagnosis.precision": ("Right idea — give at least {n} significant figures (no attempt used).",
                            "思路对了——请至少给出 {n} 位有效数字（不计入尝试次数）。"),
    "diagnosis.sign": ("The size is right but the sign is flipped.", "大小对了，但符号反了。"),
    "diagnosis.magnitude": ("The digits look right, but the decimal point is off by a factor of ten or more.",
                            "数字像是对的，但小数点错了，差了十倍以上。"),
    "diagnosis.one_path": ("That is only the path through {taken}. {x} also reaches {out} through {missing}: "
                           "add every path's product.",
                           "这只是经过 {taken} 的那条路径。{x} 还经过 {missing} 到达 {out}：要把每条路径的乘积加起来。"),
    "diagnosis.overwrite": ("{x} is used {count} times in {where}: each use adds its own share. "
                            "Gradients accumulate (+=); they are not overwritten (=).",
                            "{x} 在 {where} 中被用了 {count} 次，每次使用都贡献一份梯度。梯度要累加（+=），不是覆盖（=）。"),
    "diagnosis.no_upstream": ("That is the local derivative ∂{c}/∂{x} alone. Multiply it by the gradient "
                              "arriving at {c}, ∂{out}/∂{c} = {upstream}.",
                              "这只是局部导数 ∂{c}/∂{x}。还要乘上传到 {c} 的梯度 ∂{out}/∂{c} = {upstream}。"),
    "diagnosis.no_upstream_named": ("That is the local derivative ∂{c}/∂{x} alone. Multiply it by the gradient "
                                    "arriving at {c}, ∂{out}/∂{c}.",
                                    "这只是局部导数 ∂{c}/∂{x}。还要乘上传到 {c} 的梯度 ∂{out}/∂{c}。"),
    "diagnosis.no_lr": ("You subtracted the whole gradient: multiply it by the learning rate η = {lr} first.",
                        "你减去了整个梯度：要先乘以学习率 η = {lr}。"),
    "diagnosis.ascent": ("You stepped uphill: gradient descent subtracts η·∇, it does not add it.",
                         "你往上坡走了：梯度下降是减去 η·∇，而不是加上。"),
    "diagnosis.no_velocity": ("That is a plain gradient step, old value − η·∇. Momentum also carries on the velocity "
                              "of the steps before (μ = {mu}): add it.",
                              "这是普通的梯度步：旧值 − η·∇。动量法还要带上前几步留下的速度（μ = {mu}）：把它加上。"),
    "diagnosis.common_factor_times": ("Every entry is {k} times the right one: the same slip in all of them. "
                                      "Look for one extra factor in each.",
                                      "每个分量都是正确值的 {k} 倍：所有分量犯了同一个错误。找找每一项里多出来的那个因子。"),
    "diagnosis.common_factor_divided": ("Every entry is the right one divided by {k}: the same slip in all of them. "
                                        "Look for one factor of {k} left out of each.",
                                        "每个分量都是正确值除以 {k}：所有分量犯了同一个错误。找找每一项里漏掉的那个因子 {k}。"),
    "diagnosis.common_factor_sign": ("The sign is flipped too.", "符号也反了。"),
    "diagnosis.step_only": ("That is the step η·∇ alone; the new value is the old value minus it.",
                            "这只是步长 η·∇；新值等于旧值减去它。"),
    "diagnosis.other_factor": ("That is {x} itself. The derivative of a product with respect to one factor is the "
                               "other factor: in {c}, that is {other}.",
                               "这是 {x} 本身。乘积对其中一个因子的导数是另一个因子：在 {c} 中，就是 {other}。"),
    "diagnosis.other_factor_unnamed": ("That is {x} itself. The derivative of a product with respect to one factor is "
                                       "the other factor of {c}.",
                                       "这是 {x} 本身。乘积对其中一个因子的导数是 {c} 中的另一个因子。"),
    "diagnosis.other_factor_upstream": ("That is the gradient arriving at {c}, {upstream}, times {x} itself: "
                                        "{product} = {value}. The derivative of a product with respect to one "
                                        "factor is the other factor: in {c}, that is {other}.",
                                        "这是传到 {c} 的梯度 {upstream} 乘以 {x} 本身：{product} = {value}。"
                                        "乘积对其中一个因子的导数是另一个因子：在 {c} 中，就是 {other}。"),
    # slips derived from the graph (game/slips.py; the catalogue of wrong local rules is engine/slips.py)
    "slip.formula": ("the formula", "算式"),
    "slip.entrywise": ("Entry by entry, that is {value}: {message}", "逐个分量看，这就是 {value}：{message}"),
    "slip.gives": ("That gives {d} = {value}.", "这样算出 {d} = {value}。"),
    "slip.also": ("Another slip gives the same number: {other}", "另一种错误也会得到这个数：{other}"),
    "diagnosis.seed_zero": ("∂{out}/∂{out} is where backprop starts, and it is not 0: when {out} moves a little, "
                            "{out} itself moves by exactly as much.",
                            "∂{out}/∂{out} 是反向传播的起点，它不是 0：{out} 变化一点点时，{out} 本身就变化同样多。"),
    "diagnosis.sum_for_product": ("You added the local derivatives, {added} = {value}: the chain rule multiplies "
                                  "them, {multiplied}.",
                                  "你把局部导数加了起来：{added} = {value}。链式法则是把它们相乘：{multiplied}。"),
    "diagnosis.factor_dropped": ("That leaves out the factor {factor} = {f} of the chain rule: without it, {d} "
                                 "comes to {value}.",
                                 "这漏掉了链式法则中的因子 {factor} = {f}：少了它，{d} 就成了 {value}。"),
    "diagnosis.factor_dropped_named": ("That leaves out the factor {factor} of the chain rule: without it, {d} comes to "
                                       "{value}.",
                                       "这漏掉了链式法则中的因子 {factor}：少了它，{d} 就成了 {value}。"),
    "diagnosis.plus_for_times": ("You added where {what} multiplies: with {a} + {b} in place of {a}·{b}, "
                                 "the answer comes to {value}.",
                                 "{what} 里是乘法，你却做了加法：用 {a} + {b} 代替 {a}·{b}，答案就成了 {value}。"),
    "diagnosis.times_for_plus": ("You multiplied where {what} adds: with {a}·{b} in place of {a} + {b}, "
                                 "the answer comes to {value}.",
                                 "{what} 里是加法，你却做了乘法：用 {a}·{b} 代替 {a} + {b}，答案就成了 {value}。"),
    "diagnosis.term_dropped": ("You left out the term {term} of {what}: without it, the answer comes to {value}.",
                               "你漏掉了 {what} 中的 {term} 这一项：少了它，答案就成了 {value}。"),
    "diagnosis.function_forgotten": ("You left out the {fn} in {what}: without it, the answer comes to {value}.",
                                     "你漏掉了 {what} 中的 {fn}：少了它，答案就成了 {value}。"),
    "diagnosis.square_two": ("The 2 of a square is missing from ∇: ∂(x²)/∂x = 2x, not x. With ∇ halved you get "
                             "{value}.",
                             "∇ 里少了平方求导得到的 2：∂(x²)/∂x = 2x，而不是 x。把 ∇ 减半就得到 {value}。"),
    "diagnosis.old_point": ("That is the answer at the point before the last move, {value}: the point has moved, "
                            "so compute again at the new one.",
                            "这是上一次移动之前那个点上的答案 {value}：点已经移动了，要在新的位置重新计算。"),
    "diagnosis.no_local": ("That is the gradient arriving at {c} alone: multiply it by the local derivative ∂{c}/∂{x}.",
                           "这只是传到 {c} 的梯度：还要乘以局部导数 ∂{c}/∂{x}。"),
    "diagnosis.output_for_input": ("Input and output are mixed up: {rule}. Write it with the output {c}, and take the "
                                   "slope at the input {x}.",
                                   "输入和输出弄混了：{rule}。要用输出 {c} 来写，斜率是在输入 {x} 处取的。"),
    "diagnosis.mean": ("That is the sum, not the mean: divide by {k}.", "这是总和，不是平均值：还要除以 {k}。"),
    "diagnosis.factor": ("A constant factor is off: check the {k} in the formula ({causes}).",
                         "差了一个常数因子：检查公式里的 {k}（{causes}）。"),
    "factor.half": ("a ½ that cancels a 2", "与 2 相抵的 ½"),
    "factor.square": ("the 2 of a square", "平方求导得到的 2"),
    "factor.mean": ("a mean's division", "求平均时的除法"),
    "diagnosis.factor_times": ("A constant factor is off: your answer is {n} times the right one.",
                               "差了一个常数因子：你的答案是正确答案的 {n} 倍。"),
    "diagnosis.factor_part": ("A constant factor is off: your answer is the right one divided by {n}.",
                              "差了一个常数因子：你的答案是正确答案除以 {n}。"),
    "diagnosis.log_base": ("That uses log base 10. Here log is the natural logarithm ln, to base e.",
                           "你用的是以 10 为底的对数。这里的 log 是自然对数 ln，底数是 e。"),
    "diagnosis.degrees": ("That takes the angle in degrees. Here angles are in radians.",
                          "你把角当成了角度制。这里的角用弧度制。"),
    "diagnosis.previous": ("Those are the previous step's values: the point has moved, so compute again at the new one.",
                           "这是上一步的数值：位置已经变了，要在新的位置重新计算。"),
    "diagnosis.unchanged": ("Those are the values before the step: the new values are the old ones minus the step.",
                            "这是更新之前的值：新值等于旧值减去这一步。"),
    "diagnosis.transposed": ("That is the transpose: rows and columns swapped. The answer is {rows}×{cols}, "
                             "{rows} rows of {cols}.", "这是转置：行和列对调了。答案是 {rows}×{cols}，{rows} 行，每行 {cols} 个。"),
    "diagnosis.matrix_gradient": ("∂{out}/∂{x} has the shape of {x}: row i, column j is ∂{out}/∂{x}[i, j].",
                                  "∂{out}/∂{x} 的形状和 {x} 一样：第 i 行第 j 列是 ∂{out}/∂{x}[i, j]。"),
    "diagnosis.wrong_shape": ("The shape is wrong: you gave a {found} matrix, and the answer is {rows}×{cols} "
                              "({rows} rows of {cols}).", "形状不对：你给的是 {found} 矩阵，答案是 {rows}×{cols}（{rows} 行，每行 {cols} 个）。"),
    "diagnosis.swapped": ("The entries are swapped: give them in the order asked.", "分量的顺序反了：请按题目的顺序给出。"),
    "entry.right": ("the {n} entry is right", "{n}分量正确"),
    "entry.big": ("the {n} entry is too big", "{n}分量偏大"),
    "entry.small": ("the {n} entry is too small", "{n}分量偏小"),
    "entry.sign": ("the {n} entry has its sign flipped", "{n}分量符号反了"),
    "diagnosis.guess_low": ("Too small.", "太小了。"),
    "diagnosis.guess_high": ("Too big.", "太大了。"),
    "diagnosis.order": ("Not this order: {right} of {count} {right?is|are} in the right place.",
                        "顺序不对：{count} 项中有 {right} 项位置正确。"),
    "diagnosis.pairs": ("{right} of {count} pairs {right?is|are} right.", "{count} 对中有 {right} 对正确。"),
    "diagnosis.diverged": ("{metric} grew to {value}: the step is too big, the run diverged. Choose a smaller "
                           "learning rate and train again.",
                           "{metric} 增大到了 {value}：步子太大，训练发散了。选一个更小的学习率，再训练一次。"),
    "diagnosis.overflowed": ("{metric} grew past {value} and overflowed: the step is too big, the run diverged. "
                             "Choose a smaller learning rate and train again.",
                             "{metric} 增大到 {value} 以上并溢出：步子太大，训练发散了。选一个更小的学习率，再训练一次。"),
    "diagnosis.train": ("{metric} reached {value}, the goal is {goal}. Change the settings and train again.",
                        "{metric} 达到 {value}，目标是 {goal}。调整设置后再训练一次。"),
    # prompts
    "prompt.forward": ("{node} = ?", "{node} = ?"),
    "prompt.local": ("∂{node}/∂{wrt} = ?   (the local derivative: everything else in {node} held fixed)",
                     "∂{node}/∂{wrt} = ?   （局部导数：{node} 中其他量保持不变）"),
    "prompt.gradient": ("∂{out}/∂{x} = ?", "∂{out}/∂{x} = ?"),
    "prompt.update": ("One step of {optimizer} with learning rate η = {lr}: {params} = ?",
                      "以学习率 η = {lr} 做一步{optimizer}后，{params} = ?"),
    "optimizer.sgd": ("gradient descent", "梯度下降"),
    "optimizer.momentum": ("momentum", "动量法"),
    "optimizer.nesterov": ("Nesterov momentum", "Nesterov 动量法"),
    "optimizer.adam": ("Adam", "Adam"),
    "optimizer.heavyball": ("momentum (v = μv − η∇)", "动量法（v = μv − η∇）"),
    "optimizer.newton": ("Newton's method", "牛顿法"),
    "prompt.matrix": (" (a {rows}×{cols} matrix: type it row by row, like [[1, 2], [3, 4]] or 1 2; 3 4)",
                      "（一个 {rows}×{cols} 矩阵：逐行输入，例如 [[1, 2], [3, 4]] 或 1 2; 3 4）"),
    "prompt.matrix_like": (" (a {rows}×{cols} matrix shaped like {x}: type it row by row, like [[1, 2], [3, 4]] or "
                           "1 2; 3 4)",
                           "（一个形状与 {x} 相同的 {rows}×{cols} 矩阵：逐行输入，例如 [[1, 2], [3, 4]] 或 1 2; 3 4）"),
    "entry.at": ("row {i}, column {j}", "第 {i} 行第 {j} 列"),
    "entry.others_right": ("the other entries are right", "其余分量正确"),
    "prompt.value": ("{name} = ?", "{name} = ?"),
    "prompt.guess": ("Your guess?", "你猜是多少？"),
    "prompt.probe": ("{inputs} = ?", "{inputs} = ?"),
    "prompt.train": ("Type settings as {form} (or the values alone: {bare}); Enter trains with these.",
                     "设置写成 {form}（或只写数值：{bare}）；直接回车即按这些设置训练。"),
    "prompt.train_fixed": ("Press Enter to train.", "按回车开始训练。"),
    # generated hints
    "hint.gradient.chain": ("Chain rule: ∂{out}/∂{x} = {formula}", "链式法则：∂{out}/∂{x} = {formula}"),
    "hint.vector.chain": ("Entry by entry, the chain rule: {each}", "逐个分量用链式法则：{each}"),
    "hint.gradient.numbers": ("With the numbers: {numbers}", "代入数值：{numbers}"),
    "hint.gradient.rule": ("The rule there: {rule}", "那里的法则：{rule}"),
    "hint.gradient.self": ("When {out} itself moves by a little, {out} moves by exactly as much.",
                           "{out} 本身变化一点点时，{out} 就变化同样多。"),
    "hint.local.rule": ("Differentiate {node} = {expr} with respect to {wrt} alone.",
                        "只对 {wrt} 求 {node} = {expr} 的导数。"),
    "hint.forward.expr": ("{node} = {expr}", "{node} = {expr}"),
    "hint.update.rule": ("New value = old value − η·∂{out}/∂{p}", "新值 = 旧值 − η·∂{out}/∂{p}"),
    "hint.none": ("No more hints for this step.", "这一步没有更多提示了。"),
    # after a level
    "notes.title": ("Good to know", "补充说明"),
    # events
    "event.answer": ("Answer: {value}", "答案：{value}"),
    "event.set": ("{name} is now {value}", "{name} 现在是 {value}"),
    "event.iteration": ("Iteration {n}", "第 {n} 次迭代"),
    "event.autoplay": ("The game played the rest itself: {n} {n?iteration|iterations} in all, stopped when {rule}.",
                       "其余的迭代由游戏自动完成：总共 {n} 次，到 {rule} 时停止。"),
    "event.no_stop": ("Stopped after {n} {n?iteration|iterations} without meeting the stop rule.",
                      "迭代 {n} 次后停止，仍未满足停止条件。"),
    "event.after": ("After {n} {n?iteration|iterations}: {row}", "{n} 次迭代之后：{row}"),
    "event.trained": ("Trained {steps} steps: {summary}", "训练了 {steps} 步：{summary}"),
    # the teacher's class report (`gradquest report`)
    "report.title": ("GradQuest class report", "GradQuest 班级报告"),
    "report.first_try": ("Right at the first try, per ask", "每道题第一次就答对的人数"),
    "report.asks": ("Asks", "题目"),
    "report.slips_in": ("Slips in {level} {ask}", "{level} {ask} 中的错误"),
    "report.students": ("Students", "学生"),
    "report.n_students": ("{n} {n?student|students}", "{n} 名学生"),
    "report.col.level": ("level", "关卡"),
    "report.col.ask": ("ask", "题目"),
    "report.col.question": ("question", "问题"),
    "report.col.reached": ("reached", "做到此题"),
    "report.col.first": ("right at 1st try", "第一次答对"),
    "report.col.first_short": ("right 1st", "首次答对"),
    "report.col.attempts": ("mean attempts", "平均尝试次数"),
    "report.col.hints": ("hints", "提示"),
    "report.col.reveals": ("reveals", "看答案"),
    "report.slips": ("Slips, the most made first", "错误（按人数排序）"),
    "report.col.slip": ("slip", "错误"),
    "report.col.students": ("students", "学生数"),
    "report.col.example": ("an example typed", "输入的例子"),
    "report.col.student": ("student", "学生"),
    "report.col.id": ("id", "编号"),
    "report.col.done": ("levels done", "完成关卡"),
    "report.col.stars": ("stars", "星"),
    "report.col.minutes": ("time (min)", "时间（分钟）"),
}


# `{n?one|many}`: the first form when the field n is 1, the second otherwise ("1 number", "2 numbers")
_PLURAL = re.compile(r"\{(\w+)\?([^|{}]*)\|([^{}]*)\}")


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Chinese characters


def say(key: str, lang: str = "en", **fields) -> str:
    en, zh = MESSAGES[key]
    template = zh if lang == "zh" else en
    template = _PLURAL.sub(lambda m: m.group(2 if str(fields.get(m.group(1))) == "1" else 3)
                           .replace("{", "{{").replace("}", "}}"), template)
    if lang == "zh":
        template = chinese_seams(template, fields)
    return template.format(**fields)


def chinese_seams(template: str, fields: dict) -> str:
    """A Chinese sentence spaces a slot off for a Latin name ("经过 x 的路径"); a Chinese one joins the
    text beside it ("经过损失的路径", not "经过 损失 的路径")."""
    for name, value in fields.items():
        value = str(value)
        if re.match(f"[{_HAN}]", value):
            template = re.sub(rf"(?<=[{_HAN}]) (?=\{{{name}[:!}}])", "", template)
        if re.search(f"[{_HAN}]$", value):
            template = re.sub(rf"(\{{{name}(?:[:!][^}}]*)?\}}) (?=[{_HAN}])", r"\1", template)
    return template
