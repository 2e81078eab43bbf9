"""The glossary every bundled level follows (docs/glossary.md is its table): one Chinese term per
concept, and the few words a Chinese screen keeps in Latin letters (function names, names).

`glossary_findings` reads a string a Chinese player sees: a term the glossary replaces (矢量 for
向量), or an English word (`loss`, `hinge`, `else`), is a finding."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    en: str
    zh: str
    avoid: tuple[str, ...] = ()  # other Chinese words for the same concept, not used
    where: str = ""  # where the term is met first


TERMS = (
    Term("error (output − target)", "误差", ("误差函数",), "1.2"),
    Term("loss (of a sample; of a batch, its mean)", "损失", (), "1.3, 1.6"),
    Term("cost (the mean loss over the set)", "代价", (), "1.3"),
    Term("vector", "向量", ("矢量",), "1.3"),
    Term("batch", "批量 (a small one: 小批量)", ("批次",), "1.3, 4.26"),
    Term("output", "输出", (), "1.2"),
    Term("label (the class of a sample)", "标签", (), "4.26"),
    Term("plot", "图像", ("曲线图",), "1.6, the F5 tab"),
    Term("slope", "斜率", ("斜度",), "1.2, 1.4"),
    Term("tangent", "切线", (), "1.4, 1.6"),
    Term("derivative; partial derivative", "导数；偏导数", (), "1.4, 2.13"),
    Term("gradient", "梯度", (), "1.2, 2.8"),
    Term("chain rule", "链式法则", (), "2.8"),
    Term("backpropagation", "反向传播", (), "1.7, 2.12"),
    Term("gradient descent", "梯度下降", (), "1.5, 1.6"),
    Term("learning rate (η)", "学习率（η）", ("步长因子",), "1.4, 1.5, 3.21"),
    Term("factor (per step)", "因子（每步的因子）", ("每步的倍数",), "1.5, 2.9, 3.21"),
    Term("iteration", "迭代", (), "1.5, 2.9"),
    Term("parameter; weight", "参数；权重", (), "1.6, 2.15"),
    Term("neuron", "神经元", (), "2.15"),
    Term("activation function", "激活函数", (), "2.14"),
    Term("momentum", "动量法", (), "3.22"),
    Term("Hessian", "海森矩阵", ("黑塞矩阵",), "3.23"),
    Term("Newton's method", "牛顿法", (), "3.23"),
    Term("hinge loss", "合页损失", ("hinge 损失", "铰链损失"), "4.26"),
    Term("weight decay", "权重衰减", (), "4.26"),
    Term("accuracy", "准确率", ("正确率",), "4.26"),
    Term("softmax (in words; in formulas: softmax)", "归一化指数函数", (), "5.35"),
    Term("logits (a classifier's scores)", "未归一化的分数", ("logits",), "5.35"),
    Term("cross-entropy", "交叉熵", (), "5.35"),
)

# kept in Latin letters on a Chinese screen: functions as formulas write them, and names
LATIN = frozenset({"sin", "cos", "tanh", "exp", "log", "sqrt", "relu", "ReLU", "sigmoid", "softmax", "max", "min",
                   "abs", "mean", "sum", "lim", "Adam", "Nesterov", "PyTorch", "SGD"})
WORD = re.compile(r"(?<![A-Za-z_])[A-Za-z]{3,}(?![A-Za-z_])")


def glossary_findings(body: str, typed: set[str] = frozenset()) -> list[str]:
    """What a Chinese screen shows against the glossary; `typed`: names a player types (settings)."""
    found = [f"\"{a}\" where the glossary says \"{t.zh}\" ({t.en})" for t in TERMS for a in t.avoid if a in body]
    found += [f"the English word \"{w}\" on a Chinese screen: translate it (see docs/glossary.md)"
              for w in dict.fromkeys(WORD.findall(body)) if w not in LATIN and w not in typed]
    return found
