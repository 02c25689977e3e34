"""YOLO post-processing in TensorFlow, with the names and argument orders of the course's
car-detection assignment.

The network's last layer gives, for every grid cell and anchor, ``5 + C`` raw numbers
``[t_x, t_y, t_w, t_h, t_o, class logits...]``. :func:`yolo_head` turns them into boxes
(centre and size as fractions of the image), a confidence and class probabilities;
:func:`yolo_eval` then keeps the confident boxes, converts them to pixel corners and removes
duplicates with non-max suppression. Every function works on eager tensors and inside
``tf.function`` (shape checks use static shapes; thresholds given as tensors are not checked).

Anchors are widths and heights in grid cells, as in YOLOv2's ``*_anchors.txt`` files.
"""

from __future__ import annotations

import numbers
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from course_utils import _validate
from course_utils.detection.box_math import iou

if TYPE_CHECKING:
    from typing import TypeAlias

    import tensorflow as tf

    #: Where a tensor is expected, a tensor, a numpy array or nested lists will do.
    TensorLike: TypeAlias = tf.Tensor | ArrayLike

__all__ = ["read_anchors", "read_classes", "yolo_head", "yolo_boxes_to_corners", "yolo_filter_boxes", "iou",
           "yolo_non_max_suppression", "scale_boxes", "yolo_eval"]


def _tf():
    import tensorflow as tf

    return tf


# ---------------------------------------------------------------------------------------------
# Files


def read_classes(classes_path: str | os.PathLike) -> list[str]:
    """Read class names, one per line (blank lines ignored).

    Parameters
    ----------
    classes_path : str or pathlib.Path

    Returns
    -------
    list of str
    """
    text = _read_text(classes_path, "classes_path")
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise ValueError(f"classes_path {str(classes_path)!r} holds no class names (expected one name per line)")
    return names


def read_anchors(anchors_path: str | os.PathLike) -> np.ndarray:
    """Read anchors from a one-line file ``w1, h1, w2, h2, ...`` (grid-cell units).

    Parameters
    ----------
    anchors_path : str or pathlib.Path

    Returns
    -------
    numpy.ndarray, float32, shape (A, 2)
        One ``(width, height)`` row per anchor.
    """
    text = _read_text(anchors_path, "anchors_path").strip()
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        raise ValueError(f"anchors_path {str(anchors_path)!r} must hold comma-separated numbers "
                         f"'w1, h1, w2, h2, ...'; got {text[:80]!r}") from None
    if len(values) < 2 or len(values) % 2:
        raise ValueError(f"anchors_path {str(anchors_path)!r} must hold an even number of values (width, height "
                         f"pairs); got {len(values)}")
    anchors = np.array(values, np.float32).reshape(-1, 2)
    if not np.all(anchors > 0):
        raise ValueError(f"anchors_path {str(anchors_path)!r} must hold positive widths and heights; "
                         f"got {anchors.tolist()}")
    return anchors


def _read_text(path, name):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path); got {type(path).__name__}")
    if not Path(path).is_file():
        raise FileNotFoundError(f"{name} {str(path)!r} not found: no such file")
    try:
        return Path(path).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{name} {str(path)!r} cannot be read as a text file: {exc}") from None


# ---------------------------------------------------------------------------------------------
# Checks on tensors


def _tensor(value, name, rank=None, layout="", dtype="float32"):
    tf = _tf()
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric tensor{f' of shape {layout}' if layout else ''}; "
                        f"got {type(value).__name__}")
    try:
        tensor = tf.convert_to_tensor(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric tensor; could not convert {type(value).__name__}: {exc}") from None
    if not (tensor.dtype.is_floating or tensor.dtype.is_integer):
        raise TypeError(f"{name} must hold real numbers; got dtype {tensor.dtype.name}")
    if dtype is not None:
        tensor = tf.cast(tensor, dtype)
    if rank is not None and tensor.shape.rank is not None and tensor.shape.rank != rank:
        raise ValueError(f"{name} must be a rank-{rank} tensor of shape {layout}; "
                         f"got rank {tensor.shape.rank}, shape {tuple(tensor.shape)}")
    return tensor


def _threshold(value, name):
    """Python numbers are checked to lie in [0, 1]; tensors (inside tf.function) pass through."""
    if isinstance(value, numbers.Number) or isinstance(value, np.generic):
        return _validate.unit_interval(value, name)
    return value


def _same_leading(a, b, name_a, name_b):
    sa, sb = a.shape[:-1], b.shape[:-1]
    if sa.rank is not None and sb.rank is not None and not sa.is_compatible_with(sb):
        raise ValueError(f"{name_a} and {name_b} must describe the same boxes: their shapes before the last "
                         f"axis differ ({tuple(sa)} vs {tuple(sb)})")


# ---------------------------------------------------------------------------------------------
# The pipeline


def yolo_head(feats: TensorLike, anchors: ArrayLike,
              num_classes: int) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]:
    """Turn the raw output of the last convolution into boxes, confidences and class probabilities.

    Parameters
    ----------
    feats : tensor, shape (m, S_h, S_w, A * (5 + C))
        Per anchor ``[t_x, t_y, t_w, t_h, t_o, C class logits]``.
    anchors : array_like, shape (A, 2)
        Anchor widths and heights in grid cells.
    num_classes : int
        ``C``.

    Returns
    -------
    box_xy : tensor, shape (m, S_h, S_w, A, 2)
        Box centres ``(x, y)`` as fractions of the image: ``(sigmoid(t_xy) + cell) / S``.
    box_wh : tensor, shape (m, S_h, S_w, A, 2)
        Box sizes ``(w, h)`` as fractions of the image: ``anchor * exp(t_wh) / S``.
    box_confidence : tensor, shape (m, S_h, S_w, A, 1)
        ``sigmoid(t_o)``, the probability that the box holds an object.
    box_class_probs : tensor, shape (m, S_h, S_w, A, C)
        Softmax of the class logits.
    """
    tf = _tf()
    anchors = _validate.as_numeric_array(anchors, "anchors", 2, "(A, 2)")
    if anchors.shape[1] != 2 or anchors.shape[0] < 1:
        raise ValueError(f"anchors must have shape (A, 2) = (width, height) in grid cells; got {anchors.shape}")
    C = _validate.integer(num_classes, "num_classes", minimum=1)
    A = anchors.shape[0]
    feats = _tensor(feats, "feats", 4, "(m, S_h, S_w, A * (5 + C))")
    depth = feats.shape[-1]
    if depth is not None and depth != A * (5 + C):
        raise ValueError(f"feats has depth {depth} on its last axis, but {A} anchors and num_classes={C} need "
                         f"A * (5 + C) = {A * (5 + C)}")
    grid_h, grid_w = tf.shape(feats)[1], tf.shape(feats)[2]
    feats = tf.reshape(feats, tf.concat([tf.shape(feats)[:3], [A, 5 + C]], axis=0))
    cols, rows = tf.meshgrid(tf.range(grid_w), tf.range(grid_h))
    cell = tf.cast(tf.stack([cols, rows], axis=-1)[None, :, :, None, :], feats.dtype)  # (1, S_h, S_w, 1, 2) = (x, y)
    grid = tf.cast(tf.stack([grid_w, grid_h]), feats.dtype)
    anchors_t = tf.constant(anchors.reshape(1, 1, 1, A, 2), dtype=feats.dtype)
    box_xy = (tf.sigmoid(feats[..., 0:2]) + cell) / grid
    box_wh = anchors_t * tf.exp(feats[..., 2:4]) / grid
    box_confidence = tf.sigmoid(feats[..., 4:5])
    box_class_probs = tf.nn.softmax(feats[..., 5:], axis=-1)
    return box_xy, box_wh, box_confidence, box_class_probs


def yolo_boxes_to_corners(box_xy: TensorLike, box_wh: TensorLike) -> tf.Tensor:
    """Centre and size to corners.

    Parameters
    ----------
    box_xy : tensor, shape (..., 2)
        ``(x, y)`` centres.
    box_wh : tensor, shape (..., 2)
        ``(w, h)`` sizes.

    Returns
    -------
    tensor, shape (..., 4)
        ``[y_min, x_min, y_max, x_max]``.
    """
    tf = _tf()
    box_xy = _tensor(box_xy, "box_xy")
    box_wh = _tensor(box_wh, "box_wh")
    for tensor, name in ((box_xy, "box_xy"), (box_wh, "box_wh")):
        if tensor.shape.rank == 0 or (tensor.shape.rank is not None and tensor.shape[-1] not in (None, 2)):
            raise ValueError(f"{name} must have shape (..., 2); got {tuple(tensor.shape)}")
    if box_xy.shape.rank is not None and box_wh.shape.rank is not None \
            and not box_xy.shape.is_compatible_with(box_wh.shape):
        raise ValueError(f"box_xy and box_wh must have the same shape; got {tuple(box_xy.shape)} "
                         f"and {tuple(box_wh.shape)}")
    box_mins = box_xy - box_wh / 2.0
    box_maxes = box_xy + box_wh / 2.0
    return tf.concat([box_mins[..., 1:2], box_mins[..., 0:1], box_maxes[..., 1:2], box_maxes[..., 0:1]], axis=-1)


def yolo_filter_boxes(boxes: TensorLike, box_confidence: TensorLike, box_class_probs: TensorLike,
                      threshold: float = 0.6) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
    """Keep the boxes whose best class score is at least ``threshold``.

    The score of class ``c`` is ``box_confidence * box_class_probs[c]`` (the probability that
    there is an object and that it is a ``c``).

    Parameters
    ----------
    boxes : tensor, shape (..., 4)
        e.g. ``(m, S_h, S_w, A, 4)`` corners from :func:`yolo_boxes_to_corners`.
    box_confidence : tensor, shape (..., 1)
    box_class_probs : tensor, shape (..., C)
    threshold : float in [0, 1], default 0.6

    Returns
    -------
    scores : tensor, float32, shape (n,)
        Best class score of each kept box.
    boxes : tensor, float32, shape (n, 4)
    classes : tensor, int64, shape (n,)
        Index of the best class.
    """
    tf = _tf()
    boxes = _tensor(boxes, "boxes")
    box_confidence = _tensor(box_confidence, "box_confidence")
    box_class_probs = _tensor(box_class_probs, "box_class_probs")
    threshold = _threshold(threshold, "threshold")
    for tensor, name, last in ((boxes, "boxes", 4), (box_confidence, "box_confidence", 1)):
        if tensor.shape.rank == 0 or (tensor.shape.rank is not None and tensor.shape[-1] not in (None, last)):
            raise ValueError(f"{name} must have shape (..., {last}); got {tuple(tensor.shape)}")
    _same_leading(boxes, box_confidence, "boxes", "box_confidence")
    _same_leading(boxes, box_class_probs, "boxes", "box_class_probs")
    box_scores = box_confidence * box_class_probs
    box_classes = tf.argmax(box_scores, axis=-1)
    box_class_scores = tf.reduce_max(box_scores, axis=-1)
    mask = box_class_scores >= threshold
    return (tf.boolean_mask(box_class_scores, mask), tf.boolean_mask(boxes, mask),
            tf.boolean_mask(box_classes, mask))


def yolo_non_max_suppression(scores: TensorLike, boxes: TensorLike, classes: TensorLike, max_boxes: int = 10,
                             iou_threshold: float = 0.5,
                             per_class: bool = False) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
    """Remove boxes that overlap a higher-scoring kept box (``tf.image.non_max_suppression``).

    Parameters
    ----------
    scores : tensor, shape (n,)
    boxes : tensor, shape (n, 4)
        Corners ``[y_min, x_min, y_max, x_max]``.
    classes : tensor, shape (n,)
    max_boxes : int, default 10
        At most this many boxes are kept.
    iou_threshold : float in [0, 1], default 0.5
        A box is dropped when its IoU with a kept box is above this.
    per_class : bool, default False
        False (the course's version): boxes of different classes suppress each other too.
        True: only boxes of the same class compete.

    Returns
    -------
    scores : tensor, shape (k,)
    boxes : tensor, shape (k, 4)
    classes : tensor, shape (k,)
        The kept boxes, highest score first.
    """
    tf = _tf()
    scores = _tensor(scores, "scores", 1, "(n,)")
    boxes = _tensor(boxes, "boxes", 2, "(n, 4)")
    classes = _tensor(classes, "classes", 1, "(n,)", dtype=None)
    if boxes.shape[-1] not in (None, 4):
        raise ValueError(f"boxes must have shape (n, 4); got {tuple(boxes.shape)}")
    if not (scores.shape[0] is None or boxes.shape[0] is None or scores.shape[0] == boxes.shape[0]):
        raise ValueError(f"scores and boxes must have the same number of rows; got {scores.shape[0]} "
                         f"and {boxes.shape[0]}")
    if not (classes.shape[0] is None or boxes.shape[0] is None or classes.shape[0] == boxes.shape[0]):
        raise ValueError(f"classes and boxes must have the same number of rows; got {classes.shape[0]} "
                         f"and {boxes.shape[0]}")
    max_boxes = _validate.integer(max_boxes, "max_boxes", minimum=1)
    iou_threshold = _threshold(iou_threshold, "iou_threshold")
    compared = boxes
    if per_class:
        # Move each class to its own region of the plane, far from the others: boxes of
        # different classes then never overlap, and one call does every class at once.
        span = tf.reduce_max(tf.abs(boxes)) * 2.0 + 1.0
        compared = boxes + tf.cast(classes, boxes.dtype)[:, None] * span
    nms_indices = tf.image.non_max_suppression(compared, scores, max_boxes, iou_threshold=iou_threshold)
    return tf.gather(scores, nms_indices), tf.gather(boxes, nms_indices), tf.gather(classes, nms_indices)


def scale_boxes(boxes: TensorLike, image_shape: TensorLike) -> tf.Tensor:
    """Boxes as fractions of the image to pixels.

    Parameters
    ----------
    boxes : tensor, shape (..., 4)
        ``[y_min, x_min, y_max, x_max]`` in [0, 1] units.
    image_shape : (height, width)

    Returns
    -------
    tensor, shape (..., 4)
        ``boxes * [height, width, height, width]``.
    """
    tf = _tf()
    boxes = _tensor(boxes, "boxes")
    if boxes.shape.rank == 0 or (boxes.shape.rank is not None and boxes.shape[-1] not in (None, 4)):
        raise ValueError(f"boxes must have shape (..., 4); got {tuple(boxes.shape)}")
    image_shape = _tensor(image_shape, "image_shape", 1, "(2,) = (height, width)")
    if image_shape.shape[0] not in (None, 2):
        raise ValueError(f"image_shape must be (height, width); got shape {tuple(image_shape.shape)}")
    height, width = image_shape[0], image_shape[1]
    image_dims = tf.reshape(tf.stack([height, width, height, width]), [1, 4])
    return boxes * image_dims


def yolo_eval(yolo_outputs: tuple[TensorLike, TensorLike, TensorLike, TensorLike],
              image_shape: TensorLike = (720.0, 1280.0), max_boxes: int = 10, score_threshold: float = 0.6,
              iou_threshold: float = 0.5, per_class: bool = False) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
    """From the output of :func:`yolo_head` to the final boxes of one image.

    Corners (:func:`yolo_boxes_to_corners`) → score filter (:func:`yolo_filter_boxes`) →
    pixels (:func:`scale_boxes`) → non-max suppression (:func:`yolo_non_max_suppression`).

    Parameters
    ----------
    yolo_outputs : tuple of 4 tensors
        ``(box_xy, box_wh, box_confidence, box_class_probs)``; batch size 1, or no batch axis
        (all boxes are pooled into one image).
    image_shape : (height, width), default (720., 1280.)
    max_boxes : int, default 10
    score_threshold : float in [0, 1], default 0.6
    iou_threshold : float in [0, 1], default 0.5
    per_class : bool, default False
        Passed on to :func:`yolo_non_max_suppression`.

    Returns
    -------
    scores : tensor, shape (k,)
    boxes : tensor, shape (k, 4)
        ``[y_min, x_min, y_max, x_max]`` in pixels.
    classes : tensor, int64, shape (k,)
    """
    if not isinstance(yolo_outputs, (tuple, list)) or len(yolo_outputs) != 4:
        raise TypeError("yolo_outputs must be the tuple (box_xy, box_wh, box_confidence, box_class_probs) "
                        f"returned by yolo_head; got {type(yolo_outputs).__name__}"
                        + (f" of length {len(yolo_outputs)}" if isinstance(yolo_outputs, (tuple, list)) else ""))
    score_threshold = _threshold(score_threshold, "score_threshold")
    iou_threshold = _threshold(iou_threshold, "iou_threshold")
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=score_threshold)
    boxes = scale_boxes(boxes, image_shape)
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes=max_boxes, iou_threshold=iou_threshold,
                                    per_class=per_class)
