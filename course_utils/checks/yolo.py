"""Checkers of the YOLO post-processing a learner writes (notebook 3.2).

The reference is :mod:`course_utils.yolo`; tensors in the cases are float32 (int64 for classes),
as the network and ``yolo_head`` produce them, and results are compared as numpy arrays.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core import Case, make_checker

__all__ = ["check_iou", "check_yolo_filter_boxes", "check_yolo_non_max_suppression", "check_yolo_eval",
           "random_boxes", "random_head_outputs"]


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


def iou_cases():
    clip = "clip the intersection's width and height at 0: max(0, x2 - x1), or apart boxes get a positive area."
    clip_each = ("clip the width and the height each at 0 before multiplying: boxes apart along one axis only "
                 "give one negative side, and their product is then negative.")
    return [
        Case("course example: (2, 1, 4, 3) and (1, 2, 3, 4) share 1 of 7 units", ((2, 1, 4, 3), (1, 2, 3, 4)),
             hint="the intersection is (max of the x1s, max of the y1s) to (min of the x2s, min of the y2s)."),
        Case("disjoint boxes", ((1, 2, 3, 4), (5, 6, 7, 8)), hint=clip),
        Case("boxes that only touch at a corner", ((1, 1, 2, 2), (2, 2, 3, 3)), hint=clip),
        Case("boxes that only share an edge", ((1, 1, 3, 3), (2, 3, 3, 4)), hint=clip),
        Case("boxes apart vertically whose x ranges overlap", ((0, 0, 4, 1), (1, 3, 3, 5)), hint=clip_each),
        Case("boxes apart horizontally whose y ranges overlap", ((0, 0, 1, 4), (3, 1, 5, 3)), hint=clip_each),
        Case("one box inside the other", ((0, 0, 4, 4), (1, 1, 2, 3)),
             hint="union = area1 + area2 - intersection (the intersection is counted once)."),
        Case("identical boxes", ((0.5, 0.5, 2.5, 1.5), (0.5, 0.5, 2.5, 1.5))),
        Case("second box overlaps from the upper left", ((2.0, 2.0, 5.0, 6.0), (1.0, 0.5, 3.5, 3.0))),
    ]


def yolo_filter_boxes_cases():
    import tensorflow as tf

    cases = []
    for seed, grid, anchors, classes, threshold in [(1, (19, 19), 5, 80, 0.5), (2, (4, 6), 3, 4, 0.3),
                                                     (3, (12, 12), 5, 4, 0.6)]:
        box_xy, box_wh, confidence, probs = random_head_outputs(seed, grid, anchors, classes)
        boxes = tf.concat([box_xy - box_wh / 2, box_xy + box_wh / 2], axis=-1)
        cases.append(Case(f"grid {grid}, {anchors} anchors, {classes} classes, threshold={threshold}",
                          (boxes, confidence, probs, threshold),
                          hint="score = confidence * class probability; keep each box's best class and its "
                               "score, with tf.boolean_mask on score >= threshold."))
    # one box scores exactly the threshold (1.0 * 0.5 is exact in float32): ">=" keeps it
    boxes = tf.constant([[[[0.1, 0.1, 0.4, 0.4], [0.2, 0.2, 0.6, 0.5]]]], tf.float32)
    confidence = tf.constant([[[[1.0], [0.9]]]], tf.float32)
    probs = tf.constant([[[[0.5, 0.25, 0.25], [0.1, 0.2, 0.7]]]], tf.float32)
    cases.append(Case("a box whose score equals the threshold 0.5 (kept)", (boxes, confidence, probs, 0.5),
                      hint="keep the boxes with score >= threshold, as the course does, not > threshold."))
    return cases


def yolo_non_max_suppression_cases():
    import tensorflow as tf

    hint = ("sort by score, keep the best, drop the boxes that overlap it by IoU > iou_threshold, repeat; "
            "tf.image.non_max_suppression does this and returns the kept indices; stop at max_boxes. Pass on "
            "max_boxes and iou_threshold (not 10 and 0.5), and let boxes of every class compete: the course's "
            "NMS ignores the classes.")
    cases = []
    for seed, n, max_boxes, threshold in [(4, 54, 10, 0.5), (5, 30, 5, 0.3), (6, 80, 20, 0.6)]:
        rng = _rng(seed)
        boxes = random_boxes(rng, n)
        scores = rng.uniform(0.6, 1.0, n).astype(np.float32)
        classes = rng.integers(0, 3, n)
        cases.append(Case(f"{n} boxes, max_boxes={max_boxes}, iou_threshold={threshold}",
                          (tf.constant(scores), tf.constant(boxes), tf.constant(classes), max_boxes, threshold),
                          hint=hint))
    # IoU exactly 0.5: the second box is half of the first; only IoU > threshold suppresses
    boxes = tf.constant([[0.0, 0.0, 0.5, 0.5], [0.0, 0.0, 0.5, 0.25]], tf.float32)
    cases.append(Case("two boxes with IoU exactly 0.5 = iou_threshold (both kept)",
                      (tf.constant([0.9, 0.8], tf.float32), boxes, tf.constant([1, 1], tf.int64), 10, 0.5),
                      hint="a box is suppressed when its IoU with a kept box is > iou_threshold, not >=."))
    return cases


def yolo_eval_cases():
    return [
        Case("19x19 grid, 5 anchors, 80 classes, image (720, 1280), defaults",
             (random_head_outputs(7), (720.0, 1280.0), 10, 0.6, 0.5),
             hint="the order is: corners, the score filter, scale_boxes(boxes, image_shape) with image_shape = "
                  "(height, width), non-max suppression."),
        Case("12x12 grid, 5 anchors, 4 classes, image (96, 96), score 0.3, IoU 0.45, 15 boxes",
             (random_head_outputs(8, (12, 12), 5, 4), (96.0, 96.0), 15, 0.3, 0.45),
             hint="pass max_boxes on to yolo_non_max_suppression (not its default 10)."),
        # max_boxes is large in the next two, so that the threshold under test decides how many boxes remain
        Case("12x12 grid, image (96, 96), score 0.85, IoU 0.5, 100 boxes",
             (random_head_outputs(9, (12, 12), 5, 4), (96.0, 96.0), 100, 0.85, 0.5),
             hint="pass score_threshold on to yolo_filter_boxes (not 0.6)."),
        Case("12x12 grid, image (96, 96), score 0.6, IoU 0.2, 100 boxes",
             (random_head_outputs(10, (12, 12), 5, 4), (96.0, 96.0), 100, 0.6, 0.2),
             hint="pass iou_threshold on to yolo_non_max_suppression (not 0.5)."),
    ]


def _yolo_checker(name):
    return make_checker(name, "course_utils.yolo", globals()[f"{name}_cases"],
                        fn_note="Tensors in its result are compared as numpy arrays (shape, dtype, values).",
                        solutions="course_utils.solutions.yolo")


check_iou = _yolo_checker("iou")
check_yolo_filter_boxes = _yolo_checker("yolo_filter_boxes")
check_yolo_non_max_suppression = _yolo_checker("yolo_non_max_suppression")
check_yolo_eval = _yolo_checker("yolo_eval")
