"""Where the project's data and weight files live: the one place that knows.

Everything the course ships sits in ``data/`` at the repository root (set ``COURSE_DATA_DIR``
to use another folder). Each shipped file was written by a script in ``tools/`` or by
``python -m course_utils.datasets --regenerate``; :func:`require` turns a missing file into a
``FileNotFoundError`` that says which command writes it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_DIR", "SIGNS_RESNET_WEIGHTS", "SIGNS_RESNET_METADATA", "FACE_ENCODER_WEIGHTS",
           "FACE_ENCODER_METRICS", "DETECTOR_DIR", "UNET_WEIGHTS", "UNET_NO_SKIPS_WEIGHTS", "UNET_RECORD",
           "MOBILENET_DIR", "MOBILENET_BASE_WEIGHTS", "MOBILENET_HEAD_WEIGHTS", "MOBILENET_RECORD", "TRANSFER_GRID",
           "require"]

#: The folder of the bundled data sets and shipped weights.
DATA_DIR = Path(os.environ.get("COURSE_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))

#: Notebook 2.6's small residual network for SIGNS (``tools/train_resnet_signs.py``).
SIGNS_RESNET_WEIGHTS = DATA_DIR / "resnet" / "small_resnet_signs.weights.h5"
SIGNS_RESNET_METADATA = DATA_DIR / "resnet" / "small_resnet_signs.json"

#: The face encoder of notebooks 4.1 to 4.3 (``tools/train_face_encoder.py``).
FACE_ENCODER_WEIGHTS = DATA_DIR / "face" / "encoder.weights.h5"
FACE_ENCODER_METRICS = DATA_DIR / "face" / "encoder_metrics.json"

#: The detector of notebook 3.2: weights, anchors, class names, training record (``tools/train_detector.py``).
DETECTOR_DIR = DATA_DIR / "yolo"

#: The U-Nets of notebook 3.3, with and without skip connections, and their record (``tools/train_unet.py``).
UNET_WEIGHTS = DATA_DIR / "unet" / "unet.weights.h5"
UNET_NO_SKIPS_WEIGHTS = DATA_DIR / "unet" / "unet_without_skips.weights.h5"
UNET_RECORD = DATA_DIR / "unet" / "training.json"

#: Notebook 2.7's pretrained MobileNetV2 base, the head of its source task and their training record
#: (``tools/train_mobilenet_base.py``), and the transfer experiment's measurements
#: (``tools/measure_transfer.py``).
MOBILENET_DIR = DATA_DIR / "mobilenet"
MOBILENET_BASE_WEIGHTS = MOBILENET_DIR / "mobilenet_v2_0.35_base.weights.h5"
MOBILENET_HEAD_WEIGHTS = MOBILENET_DIR / "source_head.npz"
MOBILENET_RECORD = MOBILENET_DIR / "mobilenet_base.json"
TRANSFER_GRID = MOBILENET_DIR / "transfer_grid.json"


def require(path, what: str, how: str) -> Path:
    """Return ``path`` as a ``Path`` if it is an existing file, else raise ``FileNotFoundError``.

    Parameters
    ----------
    path : str or os.PathLike
        The file that is needed.
    what : str
        What the file is, for the message (e.g. ``"the face encoder's weights"``).
    how : str
        The command that writes it (e.g. ``"python tools/train_face_encoder.py"``).

    Returns
    -------
    pathlib.Path
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path of {what} must be a str or path-like; got {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} not found: {str(path)!r} does not exist; `{how}` writes it")
    return path
