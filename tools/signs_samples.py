#!/usr/bin/env python3
"""Write the sample grid of the bundled SIGNS images shown in the README.

    python tools/signs_samples.py            # writes images/signs_samples.png

One row per class (0 to 5, top to bottom), the first eight training images of that class, at
their real size of 64x64 pixels with a 2-pixel white gap.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OUT = Path(__file__).resolve().parent.parent / "images" / "signs_samples.png"


def sample_grid(X, y, per_class: int = 8, gap: int = 2):
    """Grid of ``per_class`` images of each class, uint8 ``(rows * (64 + gap) - gap, cols * (64 + gap) - gap, 3)``.

    ``X``: uint8 images ``(m, 64, 64, 3)``; ``y``: labels ``(m,)``.
    """
    import numpy as np

    classes = np.unique(y)
    size = X.shape[1] + gap
    grid = np.full((len(classes) * size - gap, per_class * size - gap, 3), 255, np.uint8)
    for row, c in enumerate(classes):
        for col, i in enumerate(np.flatnonzero(y == c)[:per_class]):
            grid[row * size:row * size + X.shape[1], col * size:col * size + X.shape[2]] = X[i]
    return grid


def main(argv=None) -> int:
    from PIL import Image

    from course_utils.datasets import load_signs

    X, Y = load_signs()[:2]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(sample_grid(X, Y[0])).save(OUT, optimize=True)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
