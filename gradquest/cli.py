"""The `gradquest` command."""

from __future__ import annotations

import argparse
import sys

from gradquest import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradquest",
        description="Learn backpropagation and gradient descent by doing the arithmetic.",
    )
    parser.add_argument("--version", action="version", version=f"gradquest {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    build_parser().parse_args(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
