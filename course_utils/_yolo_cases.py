"""The cases on which the YOLO exercise checkers and the unit tests run the post-processing.

Each case is ``(description, args)``; ``args`` is the tuple of positional arguments. Tensors
are float32 (int64 for classes), as the network and ``yolo_head`` produce them.
"""

from __future__ import annotations

import numpy as np


def _rng(seed):
    return np.random.default_rng(seed)


def random_boxes(rng, n, size=1.0):
    """``n`` corner boxes ``[y_min, x_min, y_max, x_max]`` inside a square of side ``size`` (float32)."""
    centre = rng.uniform(0.1, 0.9, (n, 2)) * size
    half = rng.uniform(0.02, 0.25, (n, 2)) * size
    return np.concatenate([centre - half, centre + half], axis=1).astype(np.float32)


def random_head_outputs(seed, grid=(19, 19), anchors=5, classes=80):
    """``(box_xy, box_wh, box_confidence, box_class_probs)`` of one image, like yolo_head's (no batch axis)."""
    import tensorflow as tf

    rng = _rng(seed)
    shape = (*grid, anchors)
    box_xy = rng.uniform(0, 1, (*shape, 2))
    box_wh = rng.uniform(0.02, 0.4, (*shape, 2))
    confidence = rng.uniform(0, 1, (*shape, 1)) ** 2
    logits = rng.normal(0, 3, (*shape, classes))
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    return tuple(tf.constant(a, tf.float32) for a in (box_xy, box_wh, confidence, probs))


def iou():
    return [
        ("course example: (2, 1, 4, 3) and (1, 2, 3, 4) share 1 of 7 units", ((2, 1, 4, 3), (1, 2, 3, 4))),
        ("disjoint boxes", ((1, 2, 3, 4), (5, 6, 7, 8))),
        ("boxes that only touch at a corner", ((1, 1, 2, 2), (2, 2, 3, 3))),
        ("boxes that only share an edge", ((1, 1, 3, 3), (2, 3, 3, 4))),
        ("one box inside the other", ((0, 0, 4, 4), (1, 1, 2, 3))),
        ("identical boxes", ((0.5, 0.5, 2.5, 1.5), (0.5, 0.5, 2.5, 1.5))),
        ("second box overlaps from the upper left", ((2.0, 2.0, 5.0, 6.0), (1.0, 0.5, 3.5, 3.0))),
    ]


def yolo_filter_boxes():
    import tensorflow as tf

    cases = []
    for seed, grid, anchors, classes, threshold in [(1, (19, 19), 5, 80, 0.5), (2, (4, 6), 3, 4, 0.3),
                                                     (3, (12, 12), 5, 4, 0.6)]:
        box_xy, box_wh, confidence, probs = random_head_outputs(seed, grid, anchors, classes)
        boxes = tf.concat([box_xy - box_wh / 2, box_xy + box_wh / 2], axis=-1)
        cases.append((f"grid {grid}, {anchors} anchors, {classes} classes, threshold={threshold}",
                      (boxes, confidence, probs, threshold)))
    return cases


def yolo_non_max_suppression():
    import tensorflow as tf

    cases = []
    for seed, n, max_boxes, threshold in [(4, 54, 10, 0.5), (5, 30, 5, 0.3), (6, 80, 20, 0.6)]:
        rng = _rng(seed)
        boxes = random_boxes(rng, n)
        scores = rng.uniform(0.6, 1.0, n).astype(np.float32)
        classes = rng.integers(0, 3, n)
        cases.append((f"{n} boxes, max_boxes={max_boxes}, iou_threshold={threshold}",
                      (tf.constant(scores), tf.constant(boxes), tf.constant(classes), max_boxes, threshold)))
    return cases


def yolo_eval():
    return [
        ("19x19 grid, 5 anchors, 80 classes, image (720, 1280), defaults",
         (random_head_outputs(7), (720.0, 1280.0), 10, 0.6, 0.5)),
        ("12x12 grid, 5 anchors, 4 classes, image (96, 96), score 0.3, IoU 0.45, 15 boxes",
         (random_head_outputs(8, (12, 12), 5, 4), (96.0, 96.0), 15, 0.3, 0.45)),
    ]


CASES = {
    "iou": iou,
    "yolo_filter_boxes": yolo_filter_boxes,
    "yolo_non_max_suppression": yolo_non_max_suppression,
    "yolo_eval": yolo_eval,
}
