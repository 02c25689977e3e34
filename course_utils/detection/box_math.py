"""Object detection in plain numpy, written to be read: IoU, non-max suppression, the YOLO
target volume, k-means anchors, mean average precision and drawing boxes.

Boxes are corner boxes ``[y_min, x_min, y_max, x_max]`` (the order that
:func:`course_utils.yolo.yolo_boxes_to_corners` produces). IoU does not care which axis comes
first, so :func:`iou` also accepts the course's ``(x1, y1, x2, y2)``.

The target volume of one image has shape ``(S_h, S_w, A, 5 + C)``; along its last axis, as in
the lecture, ``[p_c, b_x, b_y, b_h, b_w, c_1, ..., c_C]``: ``p_c`` is 1 where an object is
assigned, ``(b_x, b_y)`` its centre and ``(b_h, b_w)`` its size, all as fractions of the image
width and height, and ``c_k`` a one-hot class. An object goes to the grid cell that holds its
centre and, within that cell, to the anchor whose shape fits it best (highest IoU when both
are centred on the same point).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from course_utils import _validate

__all__ = [
    "iou", "iou_matrix", "non_max_suppression", "encode_targets", "decode_targets",
    "anchor_iou", "anchor_distances", "kmeans_anchors", "match_detections", "average_precision",
    "mean_average_precision", "precision_recall", "draw_boxes",
]


def _box(value, name):
    box = _validate.as_numeric_array(value, name, 1, "(4,) = (x1, y1, x2, y2)")
    if box.shape != (4,):
        raise ValueError(f"{name} must hold 4 numbers (x1, y1, x2, y2); got shape {box.shape}")
    if box[2] < box[0] or box[3] < box[1]:
        raise ValueError(f"{name} has negative area: its corners must satisfy x2 >= x1 and y2 >= y1; "
                         f"got {tuple(float(v) for v in box)}")
    return box.astype(np.float64)


def boxes_array(value: ArrayLike, name: str = "boxes") -> np.ndarray:
    """Validate ``(n, 4)`` corner boxes ``[y_min, x_min, y_max, x_max]``; return them as float64."""
    boxes = _validate.as_numeric_array(value, name, 2, "(n, 4) = [y_min, x_min, y_max, x_max]")
    if boxes.shape[1] != 4:
        raise ValueError(f"{name} must have shape (n, 4) = [y_min, x_min, y_max, x_max]; got {boxes.shape}")
    bad = np.flatnonzero((boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1]))
    if bad.size:
        raise ValueError(f"{name} has negative-area boxes (y_max < y_min or x_max < x_min), "
                         f"first at row {bad[0]}: {boxes[bad[0]].tolist()}")
    return boxes.astype(np.float64)


def iou(box1: ArrayLike, box2: ArrayLike) -> float:
    """Intersection over union of two corner boxes.

    Parameters
    ----------
    box1, box2 : sequence of 4 numbers
        ``(x1, y1, x2, y2)``: upper-left and lower-right corners (``[y_min, x_min, y_max, x_max]``
        gives the same value).

    Returns
    -------
    float
        ``area(box1 ∩ box2) / area(box1 ∪ box2)`` in [0, 1]; 0.0 when the union is empty.
    """
    box1, box2 = _box(box1, "box1"), _box(box2, "box2")
    # The intersection is itself a box: the larger of the two upper-left corners and the
    # smaller of the two lower-right ones. When they do not overlap its sides come out
    # negative, hence the max(..., 0).
    xi1, yi1 = max(box1[0], box2[0]), max(box1[1], box2[1])
    xi2, yi2 = min(box1[2], box2[2]), min(box1[3], box2[3])
    inter_area = max(xi2 - xi1, 0.0) * max(yi2 - yi1, 0.0)
    box1_area = (box1[2] - box1[0]) * (box1[3] - box1[1])
    box2_area = (box2[2] - box2[0]) * (box2[3] - box2[1])
    union_area = box1_area + box2_area - inter_area
    return float(inter_area / union_area) if union_area > 0 else 0.0


def iou_matrix(boxes1: ArrayLike, boxes2: ArrayLike) -> np.ndarray:
    """IoU of every box in ``boxes1`` with every box in ``boxes2`` (vectorised :func:`iou`).

    Parameters
    ----------
    boxes1 : array_like, shape (n, 4)
    boxes2 : array_like, shape (k, 4)
        Corner boxes ``[y_min, x_min, y_max, x_max]``.

    Returns
    -------
    numpy.ndarray, float64, shape (n, k)
    """
    a, b = boxes_array(boxes1, "boxes1"), boxes_array(boxes2, "boxes2")
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(bottom_right - top_left, 0, None), axis=-1)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=-1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=-1)
    union = area_a[:, None] + area_b[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def non_max_suppression(boxes: ArrayLike, scores: ArrayLike, max_output_size: int = 10, iou_threshold: float = 0.5,
                        score_threshold: float = float("-inf"), classes: ArrayLike | None = None) -> np.ndarray:
    """Greedy non-max suppression, one box at a time.

    Walk through the boxes from the highest score down. A box is kept unless its IoU with a
    box already kept is above ``iou_threshold``; stop after ``max_output_size`` boxes. Boxes
    whose score is not above ``score_threshold`` are never kept. This is exactly what
    ``tf.image.non_max_suppression`` does (note the strict ">": a box whose IoU equals the
    threshold survives).

    Parameters
    ----------
    boxes : array_like, shape (n, 4)
        Corner boxes ``[y_min, x_min, y_max, x_max]``.
    scores : array_like, shape (n,)
    max_output_size : int, default 10
    iou_threshold : float in [0, 1], default 0.5
    score_threshold : float, default -inf
    classes : array_like of int, shape (n,), optional
        When given, suppression is per class: a box is only compared with kept boxes of its
        own class (``max_output_size`` still counts all classes together).

    Returns
    -------
    numpy.ndarray, int64, shape (k,)
        Indices of the kept boxes, highest score first.
    """
    boxes = boxes_array(boxes)
    scores = _validate.as_numeric_array(scores, "scores", 1, "(n,)").astype(np.float64)
    if scores.shape[0] != boxes.shape[0]:
        raise ValueError(f"scores must have one entry per box: boxes has {boxes.shape[0]} rows, "
                         f"scores has {scores.shape[0]}")
    max_output_size = _validate.integer(max_output_size, "max_output_size", minimum=0)
    iou_threshold = _validate.unit_interval(iou_threshold, "iou_threshold")
    if classes is not None:
        classes = _validate.as_numeric_array(classes, "classes", 1, "(n,)")
        if classes.shape[0] != boxes.shape[0]:
            raise ValueError(f"classes must have one entry per box: boxes has {boxes.shape[0]} rows, "
                             f"classes has {classes.shape[0]}")
    overlaps = iou_matrix(boxes, boxes)
    kept = []
    for i in np.argsort(-scores, kind="stable"):  # highest score first
        if len(kept) == max_output_size or scores[i] <= score_threshold:
            break
        rivals = [k for k in kept if classes is None or classes[k] == classes[i]]
        if all(overlaps[i, k] <= iou_threshold for k in rivals):
            kept.append(i)
    return np.array(kept, dtype=np.int64)


# --------------------------------------------------------------------------------------------
# The output volume: encoding labelled boxes and reading them back.


def _anchors(value, name="anchors"):
    anchors = _validate.as_numeric_array(value, name, 2, "(A, 2) = (width, height) in grid cells")
    if anchors.shape[1] != 2 or anchors.shape[0] < 1:
        raise ValueError(f"{name} must have shape (A, 2) = (width, height) in grid cells; got {anchors.shape}")
    if not np.all(anchors > 0):
        raise ValueError(f"{name} must be positive widths and heights; got {anchors.tolist()}")
    return anchors.astype(np.float64)


def _image_shape(value, name="image_shape"):
    shape = _validate.as_numeric_array(value, name, 1, "(height, width)")
    if shape.shape != (2,) or not np.all(shape > 0):
        raise ValueError(f"{name} must be (height, width), two positive numbers; got {shape.tolist()}")
    return float(shape[0]), float(shape[1])


def anchor_iou(wh: ArrayLike, anchors: ArrayLike) -> np.ndarray:
    """IoU of box shapes with anchor shapes when both are centred on the same point.

    Parameters
    ----------
    wh : array_like, shape (n, 2)
        Widths and heights of boxes.
    anchors : array_like, shape (A, 2)
        Widths and heights of anchors, in the same unit.

    Returns
    -------
    numpy.ndarray, shape (n, A)
    """
    wh = _validate.as_numeric_array(wh, "wh", 2, "(n, 2)").astype(np.float64)
    anchors = _anchors(anchors)
    inter = np.minimum(wh[:, None, 0], anchors[None, :, 0]) * np.minimum(wh[:, None, 1], anchors[None, :, 1])
    union = np.prod(wh, axis=1)[:, None] + np.prod(anchors, axis=1)[None, :] - inter
    return inter / np.where(union > 0, union, 1)


def encode_targets(boxes: ArrayLike, classes: ArrayLike, anchors: ArrayLike, grid_size: int | tuple[int, int],
                   num_classes: int, image_shape: tuple[float, float]) -> np.ndarray:
    """Write the labelled boxes of one image into the YOLO target volume.

    Parameters
    ----------
    boxes : array_like, shape (n, 4)
        ``[y_min, x_min, y_max, x_max]`` in pixels.
    classes : array_like of int, shape (n,)
        Class of each box, in ``[0, num_classes)``.
    anchors : array_like, shape (A, 2)
        Anchor widths and heights in grid cells.
    grid_size : int or (int, int)
        ``S`` or ``(S_h, S_w)``.
    num_classes : int
        ``C``.
    image_shape : (height, width)
        Size of the image in pixels.

    Returns
    -------
    numpy.ndarray, float32, shape (S_h, S_w, A, 5 + C)
        ``[p_c, b_x, b_y, b_h, b_w, c_1, ..., c_C]`` per anchor of each cell (see the module's
        docstring). When two objects want the same cell and anchor, the second goes to the
        next best free anchor of that cell; if every anchor is taken it is left out.
    """
    boxes = boxes_array(boxes)
    classes = _validate.as_numeric_array(classes, "classes", 1, "(n,)")
    if classes.shape[0] != boxes.shape[0]:
        raise ValueError(f"classes must have one entry per box: boxes has {boxes.shape[0]} rows, "
                         f"classes has {classes.shape[0]}")
    anchors = _anchors(anchors)
    S_h, S_w = _grid(grid_size)
    C = _validate.integer(num_classes, "num_classes", minimum=1)
    if classes.size and (classes.min() < 0 or classes.max() >= C or np.any(classes != np.round(classes))):
        raise ValueError(f"classes must be integers in [0, num_classes={C}); got {classes.tolist()}")
    height, width = _image_shape(image_shape)
    volume = np.zeros((S_h, S_w, anchors.shape[0], 5 + C), np.float32)
    centre_x = (boxes[:, 1] + boxes[:, 3]) / 2 / width
    centre_y = (boxes[:, 0] + boxes[:, 2]) / 2 / height
    box_h = (boxes[:, 2] - boxes[:, 0]) / height
    box_w = (boxes[:, 3] - boxes[:, 1]) / width
    shape_fit = anchor_iou(np.stack([box_w * S_w, box_h * S_h], axis=1), anchors)
    for i in range(boxes.shape[0]):
        row = min(int(centre_y[i] * S_h), S_h - 1)
        col = min(int(centre_x[i] * S_w), S_w - 1)
        for a in np.argsort(-shape_fit[i], kind="stable"):
            if volume[row, col, a, 0] == 0:
                volume[row, col, a, :5] = (1.0, centre_x[i], centre_y[i], box_h[i], box_w[i])
                volume[row, col, a, 5 + int(classes[i])] = 1.0
                break
    return volume


def decode_targets(volume: ArrayLike, image_shape: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Read the boxes back out of a target volume (the inverse of :func:`encode_targets`).

    Parameters
    ----------
    volume : array_like, shape (S_h, S_w, A, 5 + C)
    image_shape : (height, width)

    Returns
    -------
    boxes : numpy.ndarray, float64, shape (n, 4)
        ``[y_min, x_min, y_max, x_max]`` in pixels, in cell order (row, column, anchor).
    classes : numpy.ndarray, int64, shape (n,)
    """
    volume = _validate.as_numeric_array(volume, "volume", 4, "(S_h, S_w, A, 5 + C)")
    if volume.shape[-1] < 6:
        raise ValueError(f"volume's last axis must be 5 + C with C >= 1; got {volume.shape[-1]}")
    height, width = _image_shape(image_shape)
    cells = volume[volume[..., 0] > 0.5].astype(np.float64)
    x, y, h, w = cells[:, 1] * width, cells[:, 2] * height, cells[:, 3] * height, cells[:, 4] * width
    boxes = np.stack([y - h / 2, x - w / 2, y + h / 2, x + w / 2], axis=1)
    return boxes, np.argmax(cells[:, 5:], axis=1).astype(np.int64)


def _grid(grid_size):
    if isinstance(grid_size, (tuple, list)):
        if len(grid_size) != 2:
            raise ValueError(f"grid_size must be an int S or a pair (S_h, S_w); got {grid_size!r}")
        return (_validate.integer(grid_size[0], "grid_size[0]", 1), _validate.integer(grid_size[1], "grid_size[1]", 1))
    S = _validate.integer(grid_size, "grid_size", minimum=1)
    return S, S


def anchor_distances(wh: ArrayLike, anchors: ArrayLike, metric: str = "iou") -> np.ndarray:
    """How far each box shape is from each anchor shape, as k-means sees it.

    Parameters
    ----------
    wh : array_like, shape (n, 2)
        Widths and heights of boxes.
    anchors : array_like, shape (A, 2)
        Widths and heights of anchors, in the same unit.
    metric : {"iou", "euclidean"}, default "iou"
        ``1 - IoU`` of the two shapes centred on the same point (YOLOv2's), or the squared
        Euclidean distance between the ``(width, height)`` pairs.

    Returns
    -------
    numpy.ndarray, shape (n, A)
    """
    if metric == "iou":
        return 1.0 - anchor_iou(wh, anchors)
    if metric == "euclidean":
        wh = _validate.as_numeric_array(wh, "wh", 2, "(n, 2)").astype(np.float64)
        return ((wh[:, None, :] - _anchors(anchors)[None, :, :]) ** 2).sum(axis=-1)
    raise ValueError(f"metric must be 'iou' or 'euclidean'; got {metric!r}")


def kmeans_anchors(wh: ArrayLike, k: int, seed: int = 0, iterations: int = 100,
                   metric: str = "iou") -> tuple[np.ndarray, float]:
    """Choose ``k`` anchor shapes by k-means, with the distance ``1 - IoU`` as in YOLOv2.

    The Euclidean distance between two ``(width, height)`` pairs grows with the boxes' size: a
    box 20 % wider than its anchor is ten times farther from it when both are ten times larger.
    Its k-means therefore spends its anchors on the large boxes. ``1 - IoU`` (of the two shapes
    centred on the same point) depends only on their relative sizes, so a small and a large box
    that miss their anchors by the same proportion count the same.

    Parameters
    ----------
    wh : array_like, shape (n, 2)
        Widths and heights of the training boxes (any unit; grid cells for YOLO).
    k : int
        Number of anchors, ``1 <= k <= n``.
    seed : int, default 0
        Chooses the ``k`` boxes that start as centres. k-means ends in a local optimum that
        depends on this start.
    iterations : int, default 100
        Upper bound; the loop stops earlier when no box changes cluster.
    metric : {"iou", "euclidean"}, default "iou"
        How a box picks its nearest centre (:func:`anchor_distances`): largest IoU, or smallest
        Euclidean distance (for comparison).

    Returns
    -------
    anchors : numpy.ndarray, shape (k, 2)
        Cluster means, sorted by area.
    mean_iou : float
        Average over boxes of the IoU with their best anchor (whatever the metric).
    """
    wh = _validate.as_numeric_array(wh, "wh", 2, "(n, 2)").astype(np.float64)
    if wh.shape[1] != 2 or not np.all(wh > 0):
        raise ValueError(f"wh must be positive widths and heights of shape (n, 2); got shape {wh.shape}")
    k = _validate.integer(k, "k", minimum=1)
    if k > wh.shape[0]:
        raise ValueError(f"k must be at most the number of boxes ({wh.shape[0]}); got {k}")
    anchor_distances(wh[:1], wh[:1], metric)  # checks the metric before the loop
    rng = np.random.default_rng(_validate.integer(seed, "seed", minimum=0))
    centres = wh[rng.choice(wh.shape[0], k, replace=False)]
    assignment = None
    for _ in range(_validate.integer(iterations, "iterations", minimum=1)):
        new_assignment = np.argmin(anchor_distances(wh, centres, metric), axis=1)
        if assignment is not None and np.array_equal(new_assignment, assignment):
            break
        assignment = new_assignment
        centres = np.array([wh[assignment == j].mean(axis=0) if np.any(assignment == j) else centres[j]
                            for j in range(k)])
    centres = centres[np.argsort(np.prod(centres, axis=1))]
    return centres, float(anchor_iou(wh, centres).max(axis=1).mean())


# --------------------------------------------------------------------------------------------
# Evaluation.


def match_detections(pred_boxes: ArrayLike, pred_scores: ArrayLike, pred_classes: ArrayLike, true_boxes: ArrayLike,
                     true_classes: ArrayLike, iou_threshold: float = 0.5) -> np.ndarray:
    """Mark each detection of one image as a true or a false positive.

    Detections are taken from the highest score down; each may claim the unclaimed
    ground-truth box of its class with which it has the largest IoU, if that IoU is at least
    ``iou_threshold``. A ground-truth box is claimed at most once, so a duplicate detection
    counts as a false positive.

    Parameters
    ----------
    pred_boxes : array_like, shape (k, 4)
    pred_scores : array_like, shape (k,)
    pred_classes : array_like of int, shape (k,)
    true_boxes : array_like, shape (n, 4)
    true_classes : array_like of int, shape (n,)
    iou_threshold : float in [0, 1], default 0.5

    Returns
    -------
    numpy.ndarray of bool, shape (k,)
        True where the detection is a true positive (in the input order).
    """
    pred_boxes, true_boxes = boxes_array(pred_boxes, "pred_boxes"), boxes_array(true_boxes, "true_boxes")
    pred_scores = np.asarray(pred_scores, np.float64).reshape(-1)
    pred_classes, true_classes = np.asarray(pred_classes).reshape(-1), np.asarray(true_classes).reshape(-1)
    if not (pred_scores.size == pred_classes.size == pred_boxes.shape[0]):
        raise ValueError("pred_boxes, pred_scores and pred_classes must describe the same number of detections; "
                         f"got {pred_boxes.shape[0]}, {pred_scores.size}, {pred_classes.size}")
    if true_classes.size != true_boxes.shape[0]:
        raise ValueError(f"true_classes must have one entry per true box; got {true_classes.size} "
                         f"for {true_boxes.shape[0]} boxes")
    iou_threshold = _validate.unit_interval(iou_threshold, "iou_threshold")
    overlaps = iou_matrix(pred_boxes, true_boxes)
    overlaps[pred_classes[:, None] != true_classes[None, :]] = -1.0
    claimed = np.zeros(true_boxes.shape[0], bool)
    hit = np.zeros(pred_boxes.shape[0], bool)
    for i in np.argsort(-pred_scores, kind="stable"):
        candidates = np.where(claimed, -1.0, overlaps[i])
        if candidates.size and candidates.max() >= iou_threshold:
            claimed[np.argmax(candidates)] = True
            hit[i] = True
    return hit


def average_precision(scores: ArrayLike, hits: ArrayLike, num_true: int) -> float:
    """Area under the precision-recall curve of one class (all-point interpolation, as in
    PASCAL VOC since 2010).

    Parameters
    ----------
    scores : array_like, shape (k,)
        Scores of all detections of the class, over the whole data set.
    hits : array_like of bool, shape (k,)
        Whether each detection is a true positive (:func:`match_detections`).
    num_true : int
        Number of ground-truth boxes of the class.

    Returns
    -------
    float
        In [0, 1]; NaN when ``num_true`` is 0 (the class does not occur).
    """
    if num_true == 0:
        return float("nan")
    order = np.argsort(-np.asarray(scores, np.float64), kind="stable")
    hits = np.asarray(hits, bool)[order]
    tp, fp = np.cumsum(hits), np.cumsum(~hits)
    recall = np.concatenate([[0.0], tp / num_true])
    precision = np.concatenate([[1.0], tp / np.maximum(tp + fp, 1)])
    # Make precision non-increasing from the right, then sum the rectangles under it.
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall) * precision[1:]))


def mean_average_precision(detections: Sequence[tuple[ArrayLike, ArrayLike, ArrayLike]],
                           truths: Sequence[tuple[ArrayLike, ArrayLike]], num_classes: int,
                           iou_threshold: float = 0.5) -> tuple[float, np.ndarray]:
    """Mean over classes of the average precision at one IoU threshold (mAP@IoU).

    Parameters
    ----------
    detections : list of (boxes (k, 4), scores (k,), classes (k,))
        One triple per image.
    truths : list of (boxes (n, 4), classes (n,))
        One pair per image, same order.
    num_classes : int
    iou_threshold : float in [0, 1], default 0.5

    Returns
    -------
    mAP : float
        Mean of the per-class values, ignoring classes absent from ``truths``.
    per_class : numpy.ndarray, shape (num_classes,)
        Average precision of each class (NaN for absent classes).
    """
    if len(detections) != len(truths):
        raise ValueError(f"detections and truths must have one entry per image; got {len(detections)} "
                         f"and {len(truths)}")
    num_classes = _validate.integer(num_classes, "num_classes", minimum=1)
    all_scores, all_hits, all_classes, true_counts = [], [], [], np.zeros(num_classes, int)
    for (boxes, scores, classes), (true_boxes, true_classes) in zip(detections, truths, strict=True):
        all_hits.append(match_detections(boxes, scores, classes, true_boxes, true_classes, iou_threshold))
        all_scores.append(np.asarray(scores, np.float64).reshape(-1))
        all_classes.append(np.asarray(classes).reshape(-1))
        true_counts += np.bincount(np.asarray(true_classes, np.int64).reshape(-1), minlength=num_classes)
    scores, hits, classes = (np.concatenate(a) if a else np.zeros(0) for a in (all_scores, all_hits, all_classes))
    per_class = np.array([average_precision(scores[classes == c], hits[classes == c], true_counts[c])
                          for c in range(num_classes)])
    present = ~np.isnan(per_class)
    return (float(per_class[present].mean()) if present.any() else float("nan")), per_class


def precision_recall(detections: Sequence[tuple[ArrayLike, ArrayLike, ArrayLike]],
                     truths: Sequence[tuple[ArrayLike, ArrayLike]], iou_threshold: float = 0.5) -> tuple[float, float]:
    """Precision and recall of a fixed set of detections (all classes together).

    Parameters
    ----------
    detections, truths : as in :func:`mean_average_precision`
    iou_threshold : float in [0, 1], default 0.5

    Returns
    -------
    precision, recall : float
        ``TP / detections`` (1.0 when there are none) and ``TP / true boxes``.
    """
    tp = n_pred = n_true = 0
    for (boxes, scores, classes), (true_boxes, true_classes) in zip(detections, truths, strict=True):
        tp += int(match_detections(boxes, scores, classes, true_boxes, true_classes, iou_threshold).sum())
        n_pred += len(np.asarray(scores).reshape(-1))
        n_true += len(np.asarray(true_classes).reshape(-1))
    return (tp / n_pred if n_pred else 1.0), (tp / n_true if n_true else 1.0)


# --------------------------------------------------------------------------------------------
# Drawing.

_PALETTE = [(255, 60, 60), (40, 220, 255), (255, 80, 255), (255, 230, 40), (90, 255, 90),
            (255, 150, 40), (160, 120, 255), (255, 255, 255)]


def draw_boxes(image: ArrayLike, boxes: ArrayLike, classes: ArrayLike, class_names: Sequence[str],
               scores: ArrayLike | None = None, scale: int = 3, show_labels: bool = True) -> np.ndarray:
    """Draw labelled boxes (and their scores) on a copy of an image.

    Parameters
    ----------
    image : array_like, uint8 or float in [0, 1], shape (H, W, 3)
    boxes : array_like, shape (n, 4)
        ``[y_min, x_min, y_max, x_max]`` in pixels of ``image``.
    classes : array_like of int, shape (n,)
    class_names : sequence of str
    scores : array_like, shape (n,), optional
        Printed after the class name with two decimals.
    scale : int, default 3
        The image is enlarged this many times first, so that labels stay legible.
    show_labels : bool, default True
        False draws the boxes only (for pictures with many boxes).

    Returns
    -------
    numpy.ndarray, uint8, shape (H * scale, W * scale, 3)
    """
    from PIL import Image, ImageDraw, ImageFont

    image = _validate.as_numeric_array(image, "image", 3, "(H, W, 3)")
    if image.shape[2] != 3:
        raise ValueError(f"image must have 3 colour channels (H, W, 3); got shape {image.shape}")
    if image.dtype != np.uint8:
        image = np.clip(np.rint(image * 255 if image.max() <= 1.0 else image), 0, 255).astype(np.uint8)
    boxes = boxes_array(boxes)
    classes = np.asarray(classes, np.int64).reshape(-1)
    if classes.size != boxes.shape[0]:
        raise ValueError(f"classes must have one entry per box; got {classes.size} for {boxes.shape[0]} boxes")
    if classes.size and (classes.min() < 0 or classes.max() >= len(class_names)):
        raise ValueError(f"classes must index class_names (0..{len(class_names) - 1}); got {classes.tolist()}")
    scale = _validate.integer(scale, "scale", minimum=1)
    canvas = Image.fromarray(image).resize((image.shape[1] * scale, image.shape[0] * scale), Image.Resampling.NEAREST)
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default()
    for i in range(boxes.shape[0]):
        y0, x0, y1, x1 = (boxes[i] * scale).tolist()
        colour = _PALETTE[classes[i] % len(_PALETTE)]
        draw.rectangle([x0, y0, x1, y1], outline=colour, width=2)
        if not show_labels:
            continue
        label = class_names[classes[i]] + ("" if scores is None else f" {float(np.ravel(scores)[i]):.2f}")
        left, top, right, bottom = draw.textbbox((x0, y0), label, font=font)
        ty = y0 - (bottom - top) - 3 if y0 - (bottom - top) - 3 >= 0 else y1 + 1
        draw.rectangle([x0, ty, x0 + right - left + 3, ty + bottom - top + 3], fill=colour)
        draw.text((x0 + 1, ty + 1 - (top - y0)), label, fill=(0, 0, 0), font=font)
    return np.asarray(canvas)
