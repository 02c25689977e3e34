"""A small YOLOv2-style detector for the synthetic driving scenes: model, loss, training,
and the shipped weights.

The network maps a 96 x 96 scene to a 12 x 12 grid (one cell per 8 x 8 pixels) with
``A * (5 + C)`` raw numbers per cell, read by :func:`course_utils.yolo.yolo_head`. Like
YOLOv2 it is all convolutions with batch normalisation and leaky ReLU, and like YOLOv2's
"passthrough" it brings finer features (here from the 12 x 12 stage) next to coarser ones
(from a 6 x 6 stage, upsampled) before the last layers, which helps with small, far objects.

``tools/train_detector.py`` trains it and writes ``data/yolo/``: the weights, the anchors
(k-means on the training boxes, one comma-separated line), the class names (one per line)
and ``training.json`` (settings, loss per epoch, validation and test mAP).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from course_utils import _validate, paths, yolo
from course_utils.detection import box_math
from course_utils.synthetic import driving

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

__all__ = ["IMAGE_SIZE", "GRID", "build_detector", "yolo_loss", "encode_batch", "make_train_step",
           "fit_steps", "TrainingData", "box_sizes_in_cells", "prepare_training_data", "run_epochs", "train",
           "load_detector", "detect", "evaluate"]

#: One image's detections: boxes (k, 4) in pixels, scores (k,), classes (k,), as numpy arrays.
Detections = tuple[np.ndarray, np.ndarray, np.ndarray]

WEIGHTS_FILE = "detector.weights.h5"
IMAGE_SIZE = 96
GRID = 12
WIDTH = 0.5


def build_detector(num_anchors: int, num_classes: int, image_size: int = IMAGE_SIZE,
                   width: float = WIDTH) -> keras.Model:
    """The detector as a Keras functional model.

    Parameters
    ----------
    num_anchors : int
        ``A``.
    num_classes : int
        ``C``.
    image_size : int, default 96
        Height and width of the input; must be a multiple of 16. The grid is ``image_size / 8``.
    width : float, default 0.5
        Multiplies every layer's number of filters (0.5: about 300 000 parameters).

    Returns
    -------
    keras.Model
        Input ``(m, image_size, image_size, 3)`` floats in [0, 1]; output
        ``(m, S, S, A * (5 + C))`` raw features for :func:`course_utils.yolo.yolo_head`.
    """
    import keras
    from keras import layers

    def conv(x, filters, size=3):
        x = layers.Conv2D(max(4, int(filters * width)), size, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        return layers.LeakyReLU(negative_slope=0.1)(x)

    if image_size % 16:
        raise ValueError(f"image_size must be a multiple of 16; got {image_size}")
    inputs = keras.Input((image_size, image_size, 3))
    x = conv(inputs, 16)
    x = layers.MaxPooling2D()(x)                       # /2
    x = conv(x, 32)
    x = layers.MaxPooling2D()(x)                       # /4
    x = conv(x, 64)
    x = conv(x, 32, 1)
    x = conv(x, 64)
    x = layers.MaxPooling2D()(x)                       # /8: the output grid
    x = conv(x, 128)
    x = conv(x, 64, 1)
    fine = conv(x, 128)
    x = layers.MaxPooling2D()(fine)                    # /16: wider context
    x = conv(x, 256)
    x = conv(x, 128, 1)
    x = conv(x, 256)
    x = conv(x, 64, 1)
    x = layers.UpSampling2D()(x)                       # back to /8, next to the fine features
    x = layers.Concatenate()([x, fine])
    x = conv(x, 192)
    # Start with objectness logits at -4 (probability 0.02): almost every anchor is empty, and
    # starting at 0.5 would make the first steps spend their effort only on saying so.
    bias = np.zeros((num_anchors, 5 + num_classes), np.float32)
    bias[:, 4] = -4.0
    outputs = layers.Conv2D(num_anchors * (5 + num_classes), 1, padding="same", name="yolo_output",
                            bias_initializer=keras.initializers.Constant(bias.ravel()))(x)
    return keras.Model(inputs, outputs, name="tiny_yolo")


def yolo_loss(y_true: tf.Tensor, y_pred: tf.Tensor, anchors: ArrayLike, num_classes: int,
              ignore_threshold: float = 0.6, coord_weight: float = 1.0,
              noobj_weight: float = 1.0) -> tuple[tf.Tensor, dict[str, tf.Tensor]]:
    """The YOLOv2-style loss of a batch, summed over the grid and averaged over images.

    For the anchor responsible for an object (``p_c = 1`` in the target): squared error of the
    centre offset inside the cell and of the log size relative to the anchor (weighted by
    ``2 - w h`` so small boxes count more), binary cross-entropy pushing the objectness to 1,
    and softmax cross-entropy of the class. For every other anchor: binary cross-entropy
    pushing the objectness to 0, except where the predicted box already overlaps a true box
    with IoU above ``ignore_threshold`` (a good box that simply is not the responsible one).

    Parameters
    ----------
    y_true : tensor, shape (m, S, S, A, 5 + C)
        Targets from :func:`course_utils.detection.box_math.encode_targets`.
    y_pred : tensor, shape (m, S, S, A * (5 + C))
        Raw network output.
    anchors : array_like, shape (A, 2)
        In grid cells.
    num_classes : int
    ignore_threshold, coord_weight, noobj_weight : float

    Returns
    -------
    total : scalar tensor
    parts : dict of str to scalar tensor
        ``"coord"``, ``"object"``, ``"no_object"``, ``"class"``.
    """
    import tensorflow as tf

    anchors = np.asarray(anchors, np.float32)
    A, C = anchors.shape[0], num_classes
    S = tf.cast(tf.shape(y_pred)[1], tf.float32)
    feats = tf.reshape(y_pred, tf.concat([tf.shape(y_pred)[:3], [A, 5 + C]], axis=0))
    box_xy, box_wh, _, _ = yolo.yolo_head(y_pred, anchors, C)
    obj = y_true[..., 0]
    true_xy = y_true[..., 1:3]                                     # (x, y) in the image
    true_wh = tf.stack([y_true[..., 4], y_true[..., 3]], axis=-1)  # (w, h) in the image
    cell = tf.floor(true_xy * S)
    true_offset = true_xy * S - cell
    true_log_wh = tf.math.log(tf.maximum(true_wh * S, 1e-6) / anchors)
    box_weight = obj * (2.0 - true_wh[..., 0] * true_wh[..., 1])
    coord = box_weight * (tf.reduce_sum(tf.square(tf.sigmoid(feats[..., 0:2]) - true_offset), axis=-1)
                          + tf.reduce_sum(tf.square(feats[..., 2:4] - true_log_wh), axis=-1))
    # Best IoU of every predicted box with the true boxes of its image. An image has far fewer
    # objects than anchors, so only the (at most) 32 responsible anchors are gathered.
    m = tf.shape(y_pred)[0]
    true_flat = tf.reshape(y_true, [m, -1, 5 + C])
    count = tf.minimum(32, tf.shape(true_flat)[1])
    present, index = tf.math.top_k(true_flat[..., 0], k=count)
    chosen = tf.gather(true_flat, index, batch_dims=1)                                 # (m, K, 5 + C)
    chosen_wh = tf.stack([chosen[..., 4], chosen[..., 3]], axis=-1)
    true_corners = yolo.yolo_boxes_to_corners(chosen[..., 1:3], chosen_wh)[:, None]    # (m, 1, K, 4)
    pred_corners = tf.reshape(yolo.yolo_boxes_to_corners(box_xy, box_wh), [m, -1, 1, 4])
    top_left = tf.maximum(pred_corners[..., :2], true_corners[..., :2])
    bottom_right = tf.minimum(pred_corners[..., 2:], true_corners[..., 2:])
    inter = tf.reduce_prod(tf.maximum(bottom_right - top_left, 0.0), axis=-1)
    area_pred = tf.reduce_prod(pred_corners[..., 2:] - pred_corners[..., :2], axis=-1)
    area_true = tf.reduce_prod(true_corners[..., 2:] - true_corners[..., :2], axis=-1)
    overlap = inter / tf.maximum(area_pred + area_true - inter, 1e-9) * present[:, None, :]
    best = tf.reshape(tf.reduce_max(overlap, axis=-1), tf.shape(obj))
    ignore = tf.cast(best > ignore_threshold, tf.float32)
    logits = feats[..., 4]
    object_loss = obj * tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(logits), logits=logits)
    no_object = (1 - obj) * (1 - ignore) * tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.zeros_like(logits), logits=logits)
    class_loss = obj * tf.nn.softmax_cross_entropy_with_logits(labels=y_true[..., 5:], logits=feats[..., 5:])
    batch = tf.cast(m, tf.float32)
    parts = {"coord": coord_weight * tf.reduce_sum(coord) / batch,
             "object": tf.reduce_sum(object_loss) / batch,
             "no_object": noobj_weight * tf.reduce_sum(no_object) / batch,
             "class": tf.reduce_sum(class_loss) / batch}
    return tf.add_n(list(parts.values())), parts


def encode_batch(boxes: Sequence[ArrayLike], classes: Sequence[ArrayLike], anchors: ArrayLike, num_classes: int,
                 image_size: int = IMAGE_SIZE, grid: int = GRID) -> np.ndarray:
    """Target volumes of many images.

    Parameters
    ----------
    boxes, classes : lists of arrays (one per image), as returned by :func:`course_utils.synthetic.driving.make_split`
    anchors : array_like, shape (A, 2)
    num_classes : int
    image_size, grid : int

    Returns
    -------
    numpy.ndarray, float32, shape (m, grid, grid, A, 5 + C)
    """
    return np.stack([box_math.encode_targets(b, c, anchors, grid, num_classes, (image_size, image_size))
                     for b, c in zip(boxes, classes, strict=True)])


def _flip(images, targets):
    """Mirror images left-right and their target volumes with them."""
    import tensorflow as tf

    images = tf.reverse(images, axis=[2])
    targets = tf.reverse(targets, axis=[2])
    x = tf.where(targets[..., 0:1] > 0, 1.0 - targets[..., 1:2], 0.0)
    return images, tf.concat([targets[..., :1], x, targets[..., 2:]], axis=-1)


def make_train_step(model: keras.Model, anchors: ArrayLike, num_classes: int, optimizer: keras.optimizers.Optimizer,
                    flip: bool = True) -> Callable[[tf.Tensor, tf.Tensor], tuple[tf.Tensor, dict[str, tf.Tensor]]]:
    """A compiled training step: ``step(images, targets) -> (total loss, parts)``.

    Parameters
    ----------
    model : keras.Model
    anchors : array_like, shape (A, 2)
    num_classes : int
    optimizer : keras.optimizers.Optimizer
    flip : bool, default True
        Mirror the whole batch left-right with probability 1/2 (data augmentation).

    Returns
    -------
    callable
        Takes images ``(m, H, W, 3)`` in [0, 1] and targets ``(m, S, S, A, 5 + C)``.
    """
    import tensorflow as tf

    anchors = np.asarray(anchors, np.float32)

    @tf.function
    def step(x, y):
        if flip and tf.random.uniform(()) < 0.5:
            x, y = _flip(x, y)
        with tf.GradientTape() as tape:
            total, parts = yolo_loss(y, model(x, training=True), anchors, num_classes)
        optimizer.apply_gradients(zip(tape.gradient(total, model.trainable_variables), model.trainable_variables,
                                      strict=True))
        return total, parts

    return step


def fit_steps(model: keras.Model, anchors: ArrayLike, images: np.ndarray, targets: np.ndarray, steps: int = 50,
              batch_size: int = 16, learning_rate: float = 1e-3, seed: int = 0) -> np.ndarray:
    """A short training run with Adam, for demonstrations: the loss after each step.

    Parameters
    ----------
    model : keras.Model
    anchors : array_like, shape (A, 2)
    images : numpy.ndarray, uint8, shape (m, H, W, 3)
    targets : numpy.ndarray, shape (m, S, S, A, 5 + C)
        From :func:`encode_batch`.
    steps, batch_size : int
    learning_rate : float
    seed : int
        Chooses the batches.

    Returns
    -------
    numpy.ndarray, shape (steps,)
        Total loss of each step's batch.
    """
    import keras
    import tensorflow as tf

    step = make_train_step(model, anchors, targets.shape[-1] - 5, keras.optimizers.Adam(learning_rate), flip=False)
    rng = np.random.default_rng(seed)
    x_all = images.astype(np.float32) / 255.0
    losses = []
    for _ in range(steps):
        batch = rng.choice(len(images), batch_size, replace=False)
        total, _ = step(tf.constant(x_all[batch]), tf.constant(targets[batch], tf.float32))
        losses.append(float(total))
    return np.array(losses)


# --------------------------------------------------------------------------------------------
# Training: the data, the loop, the record. ``train`` strings them together.


@dataclass
class TrainingData:
    """The training split, ready for the loop.

    Attributes
    ----------
    images : numpy.ndarray, float32, shape (m, H, W, 3)
        Scenes scaled to [0, 1].
    targets : numpy.ndarray, float32, shape (m, S, S, A, 5 + C)
        Their target volumes (:func:`encode_batch`).
    anchors : numpy.ndarray, shape (A, 2)
        k-means anchors of the training boxes, in grid cells.
    anchor_fit : float
        Mean IoU of a training box with its best anchor.
    num_boxes : int
        Number of labelled boxes.
    """

    images: np.ndarray
    targets: np.ndarray
    anchors: np.ndarray
    anchor_fit: float
    num_boxes: int


def box_sizes_in_cells(boxes: ArrayLike, image_size: int = IMAGE_SIZE, grid: int = GRID) -> np.ndarray:
    """Widths and heights of boxes in grid cells, the unit of the anchors.

    Parameters
    ----------
    boxes : array_like, shape (n, 4)
        ``[y_min, x_min, y_max, x_max]`` in pixels of ``image_size``-pixel scenes.
    image_size, grid : int
        The scene's side in pixels and the grid's side in cells.

    Returns
    -------
    numpy.ndarray, float64, shape (n, 2)
        ``(width, height)`` of each box.
    """
    boxes = box_math.boxes_array(boxes)
    return np.stack([boxes[:, 3] - boxes[:, 1], boxes[:, 2] - boxes[:, 0]], axis=1) * grid / image_size


def prepare_training_data(n_train: int | None = None, num_anchors: int = 5, seed: int = 0) -> TrainingData:
    """Draw the training scenes, choose the anchors by k-means and encode the targets.

    Parameters
    ----------
    n_train : int, optional
        Only the first ``n_train`` training scenes (default: the whole split).
    num_anchors : int, default 5
    seed : int, default 0
        Seed of k-means (the scenes themselves are fixed by their split).

    Returns
    -------
    TrainingData
    """
    images, boxes, classes = driving.make_split("train", n_train)
    all_boxes = np.concatenate(boxes)
    anchors, anchor_fit = box_math.kmeans_anchors(box_sizes_in_cells(all_boxes), num_anchors, seed=seed)
    targets = encode_batch(boxes, classes, anchors, len(driving.CLASS_NAMES))
    return TrainingData(images.astype(np.float32) / 255.0, targets, anchors, anchor_fit, len(all_boxes))


def run_epochs(step: Callable, data: TrainingData, epochs: int, batch_size: int, seed: int = 0,
               on_epoch: Callable[[int, dict[str, float]], None] | None = None) -> list[dict[str, float]]:
    """The training loop: shuffled mini-batches, one pass over the data per epoch.

    Parameters
    ----------
    step : callable
        ``step(images, targets) -> (total, parts)``, from :func:`make_train_step`.
    data : TrainingData
    epochs, batch_size : int
    seed : int, default 0
        Chooses the order of the scenes in each epoch.
    on_epoch : callable, optional
        Called after each epoch with its index (from 0) and the mean losses ``{"total": ..., **parts}``.

    Returns
    -------
    list of dict
        Per epoch, the mean of each loss over its batches, rounded to 4 decimals.
    """
    import tensorflow as tf

    m = len(data.images)
    steps = int(np.ceil(m / batch_size))
    rng = np.random.default_rng(seed)
    history = []
    for epoch in range(epochs):
        order = rng.permutation(m)
        means: dict[str, float] = {}
        for k in range(steps):
            batch = order[k * batch_size:(k + 1) * batch_size]
            total, parts = step(tf.constant(data.images[batch]), tf.constant(data.targets[batch]))
            for name, value in {"total": total, **parts}.items():
                means[name] = means.get(name, 0.0) + float(value) / steps
        history.append({name: round(value, 4) for name, value in means.items()})
        if on_epoch is not None:
            on_epoch(epoch, means)
    return history


def _warm_cosine(learning_rate, epochs, steps_per_epoch):
    """Adam's learning rate: a one-epoch linear warm-up to ``learning_rate``, then a cosine decay."""
    import keras

    return keras.optimizers.schedules.CosineDecay(0.0, decay_steps=max(1, (epochs - 1) * steps_per_epoch),
                                                  alpha=0.02, warmup_target=learning_rate,
                                                  warmup_steps=steps_per_epoch)


def _write_labels(out_dir, anchors):
    """``anchors.txt`` (one line ``w1, h1, w2, h2, ...``) and ``classes.txt`` (one name per line)."""
    (out_dir / "anchors.txt").write_text(", ".join(f"{v:.5f}" for v in np.asarray(anchors).ravel()) + "\n")
    (out_dir / "classes.txt").write_text("\n".join(driving.CLASS_NAMES) + "\n")


def _evaluate_splits(model, anchors, log):
    """Validation and test mAP@0.5, as stored in ``training.json``."""
    found = {}
    for split in ("val", "test"):
        mAP, per_class = evaluate(model, anchors, split)
        found[f"{split}_mAP50"] = round(mAP, 4)
        found[f"{split}_AP50_per_class"] = dict(zip(driving.CLASS_NAMES, np.round(per_class, 4).tolist(),
                                                    strict=True))
        log(f"{split}: mAP@0.5 {mAP:.3f}  per class {np.round(per_class, 3).tolist()}")
    return found


def train(epochs: int = 24, batch_size: int = 32, learning_rate: float = 2e-3, num_anchors: int = 5,
          n_train: int | None = None, seed: int = 0, out_dir: str | os.PathLike | None = None,
          log: Callable[[str], None] = print, init_weights: str | os.PathLike | None = None) -> dict[str, Any]:
    """Train the detector from scratch on the training split and write ``out_dir``.

    Parameters
    ----------
    epochs, batch_size : int
    learning_rate : float
        Peak of a cosine schedule (with a one-epoch warm-up) for Adam.
    num_anchors : int
        k-means anchors chosen from the training boxes.
    n_train : int, optional
        Use only the first ``n_train`` training scenes (default: the whole split).
    seed : int
    out_dir : path, optional
        Default the shipped folder, :data:`course_utils.paths.DETECTOR_DIR`.
    log : callable
        Receives one line per stage and per epoch.
    init_weights : path, optional
        Start from these weights (same anchors) instead of from scratch: a second, fine-tuning run.

    Returns
    -------
    dict
        What is written to ``training.json``: the settings, the anchors and their fit, the
        parameter count, the training time, the loss per epoch, validation and test mAP@0.5.
    """
    import keras

    keras.utils.set_random_seed(seed)
    out_dir = Path(paths.DETECTOR_DIR if out_dir is None else out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data = prepare_training_data(n_train, num_anchors, seed)
    _write_labels(out_dir, data.anchors)
    log(f"{len(data.images)} training scenes, {data.num_boxes} boxes, anchors (grid cells) "
        f"{data.anchors.round(2).tolist()}, mean best anchor IoU {data.anchor_fit:.3f}; "
        f"data ready in {time.perf_counter() - started:.0f} s")

    model = build_detector(num_anchors, len(driving.CLASS_NAMES))
    if init_weights is not None:
        model.load_weights(init_weights)
    steps = int(np.ceil(len(data.images) / batch_size))
    optimizer = keras.optimizers.Adam(_warm_cosine(learning_rate, epochs, steps))
    step = make_train_step(model, data.anchors, len(driving.CLASS_NAMES), optimizer)

    def log_epoch(epoch, means):
        log(f"epoch {epoch + 1}/{epochs}  " + "  ".join(f"{n} {v:.3f}" for n, v in means.items())
            + f"  ({time.perf_counter() - started:.0f} s)")

    history = run_epochs(step, data, epochs, batch_size, seed, on_epoch=log_epoch)
    train_seconds = time.perf_counter() - started
    model.save_weights(out_dir / WEIGHTS_FILE)
    results = {"settings": {"epochs": epochs, "batch_size": batch_size, "learning_rate": learning_rate,
                            "num_anchors": num_anchors, "n_train": len(data.images), "seed": seed,
                            "init_weights": None if init_weights is None else Path(init_weights).name,
                            "image_size": IMAGE_SIZE, "grid": GRID, "width": WIDTH,
                            "augmentation": "random left-right flip"},
               "anchors": data.anchors.round(5).tolist(), "anchor_mean_iou": round(data.anchor_fit, 4),
               "parameters": int(model.count_params()), "train_seconds": round(train_seconds, 1),
               "history": history}
    results.update(_evaluate_splits(model, data.anchors, log))
    (out_dir / "training.json").write_text(json.dumps(results, indent=1) + "\n")
    return results


def load_detector(data_dir: str | os.PathLike | None = None) -> tuple[keras.Model, np.ndarray, list[str]]:
    """The shipped detector with its anchors and class names.

    Parameters
    ----------
    data_dir : path, optional
        A folder written by :func:`train`; default the shipped one, :data:`course_utils.paths.DETECTOR_DIR`.

    Returns
    -------
    model : keras.Model
    anchors : numpy.ndarray, shape (A, 2)
    class_names : list of str
    """
    data_dir = Path(paths.DETECTOR_DIR if data_dir is None else data_dir)
    anchors = yolo.read_anchors(data_dir / "anchors.txt")
    class_names = yolo.read_classes(data_dir / "classes.txt")
    weights = paths.require(data_dir / WEIGHTS_FILE, "the detector's weights", "python tools/train_detector.py")
    model = build_detector(len(anchors), len(class_names))
    model.load_weights(weights)
    return model, anchors, class_names


def detect(model: keras.Model, anchors: ArrayLike, images: np.ndarray, score_threshold: float = 0.3,
           iou_threshold: float = 0.5, max_boxes: int = 20, per_class: bool | None = None, batch_size: int = 64,
           eval_fn: Callable | None = None) -> list[Detections]:
    """Run the detector, then a ``yolo_eval`` on each image.

    Parameters
    ----------
    model : keras.Model
        From :func:`build_detector` or :func:`load_detector`.
    anchors : array_like, shape (A, 2)
    images : numpy.ndarray, uint8, shape (m, H, W, 3)
    score_threshold, iou_threshold : float in [0, 1]
    max_boxes : int
    per_class : bool, optional
        Per-class non-max suppression (a pedestrian in front of a bus is not a duplicate); the
        default, None, means True for the built-in ``yolo_eval`` and cannot be set with ``eval_fn``.
    batch_size : int
    eval_fn : callable, optional
        A ``yolo_eval`` with the course's signature, such as the one a learner wrote:
        ``eval_fn(yolo_outputs, image_shape, max_boxes, score_threshold, iou_threshold)`` returning
        ``(scores, boxes, classes)``. It is called eagerly, once per image, with the outputs of
        :func:`course_utils.yolo.yolo_head` for that image (no batch axis) and Python numbers.
        Default: :func:`course_utils.yolo.yolo_eval`, compiled once with ``tf.function``.

    Returns
    -------
    list of m tuples (boxes (k, 4), scores (k,), classes (k,)) as numpy arrays
        Boxes in pixels ``[y_min, x_min, y_max, x_max]``.
    """
    import tensorflow as tf

    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"images must have shape (m, H, W, 3); got {images.shape}")
    score_threshold = _validate.unit_interval(score_threshold, "score_threshold")
    iou_threshold = _validate.unit_interval(iou_threshold, "iou_threshold")
    max_boxes = _validate.integer(max_boxes, "max_boxes", minimum=1)
    if eval_fn is not None and not callable(eval_fn):
        raise TypeError(f"eval_fn must be a function like yolo_eval; got {type(eval_fn).__name__}")
    if eval_fn is not None and per_class is not None:
        raise ValueError("per_class applies to the built-in yolo_eval only; eval_fn is called with the course's "
                         f"arguments, which have no per_class (got per_class={per_class!r} with an eval_fn)")
    num_classes = model.output_shape[-1] // len(anchors) - 5
    feats = model.predict(images.astype(np.float32) / 255.0, batch_size=batch_size, verbose=0)
    outputs = yolo.yolo_head(feats, anchors, num_classes)
    results = []
    if eval_fn is None:
        shape = tf.constant([images.shape[1], images.shape[2]], tf.float32)
        # Thresholds go in as tensors so that one compiled graph serves every value.
        thresholds = tf.constant(score_threshold), tf.constant(iou_threshold)
        for i in range(images.shape[0]):
            scores, boxes, classes = _eval_one(tuple(t[i] for t in outputs), shape, *thresholds,
                                               max_boxes=max_boxes, per_class=per_class is not False)
            results.append((boxes.numpy(), scores.numpy(), classes.numpy()))
        return results
    shape = (float(images.shape[1]), float(images.shape[2]))
    for i in range(images.shape[0]):
        found = eval_fn(tuple(t[i] for t in outputs), shape, max_boxes, score_threshold, iou_threshold)
        if not isinstance(found, (tuple, list)) or len(found) != 3:
            raise TypeError("eval_fn must return the tuple (scores, boxes, classes), as yolo_eval does; got "
                            f"{type(found).__name__}" + (f" of length {len(found)}" if isinstance(found, (tuple, list))
                                                         else ""))
        scores, boxes, classes = (_as_numpy(x) for x in found)
        results.append((boxes.reshape(-1, 4), scores.reshape(-1), classes.reshape(-1)))
    return results


def _as_numpy(value):
    """A tensor or an array_like as a numpy array."""
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def _compiled_eval(outputs, image_shape, score_threshold, iou_threshold, max_boxes, per_class):
    return yolo.yolo_eval(outputs, image_shape, max_boxes, score_threshold, iou_threshold, per_class=per_class)


_EVAL_ONE = None


def _eval_one(outputs, image_shape, score_threshold, iou_threshold, max_boxes, per_class):
    """``yolo_eval`` of one image, compiled once (``tf.function``) and reused."""
    global _EVAL_ONE
    if _EVAL_ONE is None:
        import tensorflow as tf

        _EVAL_ONE = tf.function(_compiled_eval)
    return _EVAL_ONE(outputs, image_shape, score_threshold, iou_threshold, max_boxes=max_boxes, per_class=per_class)


def evaluate(model: keras.Model, anchors: ArrayLike, split: str = "test", iou_threshold: float = 0.5,
             n: int | None = None) -> tuple[float, np.ndarray]:
    """mAP of the detector on a split of the synthetic scenes.

    Parameters
    ----------
    model : keras.Model
    anchors : array_like, shape (A, 2)
    split : {"train", "val", "test"}
    iou_threshold : float
    n : int, optional
        Only the first ``n`` scenes.

    Returns
    -------
    mAP : float
    per_class : numpy.ndarray, shape (C,)
    """
    images, boxes, classes = driving.make_split(split, n)
    detections = detect(model, anchors, images, score_threshold=0.01, max_boxes=30)
    return box_math.mean_average_precision(detections, list(zip(boxes, classes, strict=True)),
                                            len(driving.CLASS_NAMES), iou_threshold)
