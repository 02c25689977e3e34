"""Face verification and recognition with a learned encoding (sections 4.1 to 4.3).

An encoder ``f`` maps a face image to a 128-number vector of unit length. Two photos show the
same person when ``||f(x1) - f(x2)||`` is small. The encoder is trained with the triplet loss
on (anchor, positive, negative) photos: the anchor must be closer to the positive (same
person) than to the negative (another person) by a margin ``alpha``.

The course's functions (``docs/API.md``), which the learner writes in notebooks 4.2 and 4.3:

- :func:`triplet_loss` (a scalar sum over the batch, squared L2 distances),
- :func:`verify`, :func:`who_is_it` (plain L2 distances), with :func:`img_to_encoding`.

Around them: the encoder (:func:`face_encoder`, a small ResNet built from
:mod:`course_utils.resnet` blocks), triplet mining (:func:`batch_all_triplet_loss`,
:func:`batch_hard_triplet_loss`, :func:`semi_hard_triplets`, :func:`all_triplet_losses`),
training (:func:`train_encoder`, on the built-in mined losses or on a learner's
``triplet_loss``), the shipped weights (:func:`load_encoder`) and the evaluation
(:func:`pairwise_distances`, :func:`roc_curve`, :func:`roc_auc`, :func:`verification_accuracy`,
:func:`best_threshold`, :func:`one_shot_accuracy`, :func:`pixel_encodings`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from course_utils import _validate, image_io, paths
from course_utils.synthetic import identities

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

#: What :func:`img_to_encoding`, :func:`verify` and :func:`who_is_it` take as a photo.
ImageInput = str | os.PathLike | ArrayLike

__all__ = ["triplet_loss", "img_to_encoding", "verify", "who_is_it", "face_encoder", "encode",
           "pixel_encodings", "batch_hard_triplet_loss", "batch_all_triplet_loss", "semi_hard_triplets",
           "all_triplet_losses", "train_encoder", "load_encoder", "save_encoder",
           "pairwise_distances", "verification_pairs", "roc_curve",
           "roc_auc", "verification_accuracy", "best_threshold", "one_shot_accuracy",
           "one_shot_trials", "evaluate", "build_database"]

EMBEDDING_SIZE = 128


# ---------------------------------------------------------------------------------------------
# The course's functions
# ---------------------------------------------------------------------------------------------

def triplet_loss(y_true: Any, y_pred: Sequence[ArrayLike], alpha: float = 0.2) -> tf.Tensor:
    """Triplet loss of a batch: ``sum(max(||A - P||² - ||A - N||² + alpha, 0))``.

    Parameters
    ----------
    y_true : ignored
        Present because Keras passes labels to every loss; the triplet loss needs none.
    y_pred : sequence of three tensors, each of shape (m, d) or (d,)
        Encodings of the anchors, positives (same person as the anchor) and negatives
        (another person); a single triplet may be given as three ``(d,)`` vectors, as in the
        course's own tests.
    alpha : float, default 0.2
        Margin: how much closer the positive must be than the negative before a triplet
        stops contributing.

    Returns
    -------
    tf.Tensor, scalar
        The loss summed (not averaged) over the ``m`` triplets (one triplet for ``(d,)`` inputs).
    """
    import tensorflow as tf

    if not isinstance(y_pred, (list, tuple)) or len(y_pred) != 3:
        got = f"a {type(y_pred).__name__} of {len(y_pred)} items" if isinstance(y_pred, (list, tuple)) \
            else type(y_pred).__name__
        raise TypeError(f"y_pred must be a list or tuple (anchor, positive, negative) of three "
                        f"(m, d) or (d,) encodings; got {got}")
    anchor, positive, negative = (tf.convert_to_tensor(t, dtype_hint=tf.float32) for t in y_pred)
    shapes = [tuple(t.shape) for t in (anchor, positive, negative)]
    if len(shapes[0]) not in (1, 2) or len(set(shapes)) != 1:
        raise ValueError(f"anchor, positive and negative must be (m, d) or (d,) with equal shapes; got {shapes}")
    positive = tf.cast(positive, anchor.dtype)
    negative = tf.cast(negative, anchor.dtype)
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.reduce_sum(tf.maximum(pos_dist - neg_dist + alpha, 0.0))


def _model_image_shape(model):
    shape = getattr(model, "input_shape", None)
    if shape is None or not callable(model):
        raise TypeError(f"model must be a Keras model (the face encoder); got {type(model).__name__}")
    return tuple(shape[1:])


def _as_images(images, model, name="image"):
    """Check a batch (or one image) against the model's input and scale it to float32 in [0, 1]."""
    expected = _model_image_shape(model)
    array = _validate.as_numeric_array(images, name)
    if array.shape == expected:
        array = array[None]
    if array.ndim != 4 or array.shape[1:] != expected:
        batch = ", ".join(map(str, expected))
        raise ValueError(f"{name} must be an image of shape {expected} (or a batch (m, {batch})) "
                         f"to match the model's input; got shape {array.shape}")
    if array.dtype == np.uint8:
        return array.astype(np.float32) / 255.0
    if np.issubdtype(array.dtype, np.floating):
        if array.size and (array.min() < 0 or array.max() > 1):
            raise ValueError(f"{name} with a float dtype must hold values in [0, 1]; got values from "
                             f"{array.min():.4g} to {array.max():.4g} (pass uint8 for 0..255)")
        return array.astype(np.float32)
    raise TypeError(f"{name} must have dtype uint8 (0..255) or float (0..1); got {array.dtype}")


def encode(images: ArrayLike, model: keras.Model, batch_size: int = 256) -> np.ndarray:
    """Encodings of a batch of images.

    Parameters
    ----------
    images : array_like, shape (m, n_H, n_W, 3)
        uint8 (0..255) or float (0..1) images of the size the model takes.
    model : keras.Model
        The encoder.
    batch_size : int, default 256

    Returns
    -------
    numpy.ndarray of float32, shape (m, d)
        One L2-normalised row per image.
    """
    return _encode(_as_images(images, model, "images"), model, batch_size)


def _encode(x, model, batch_size=256):
    out = [np.asarray(model(x[i:i + batch_size], training=False)) for i in range(0, len(x), batch_size)]
    encodings = np.concatenate(out) if out else np.zeros((0, model.output_shape[-1]), np.float32)
    return encodings / np.maximum(np.linalg.norm(encodings, axis=1, keepdims=True), 1e-12)


def img_to_encoding(image: ImageInput, model: keras.Model) -> np.ndarray:
    """The L2-normalised encoding of one image.

    Parameters
    ----------
    image : str, path or array_like of shape (n_H, n_W, 3)
        A file (read and resized to the model's input size) or an image array, uint8 (0..255)
        or float (0..1), of exactly the model's input size.
    model : keras.Model
        The encoder.

    Returns
    -------
    numpy.ndarray of float32, shape (1, d)
    """
    if isinstance(image, (str, Path)):
        image = image_io.load_image(image, size=_model_image_shape(model)[:2])[0]
    else:
        array = _validate.as_numeric_array(image, "image")
        if array.ndim != 3:
            raise ValueError(f"image must be one image of shape {_model_image_shape(model)}; "
                             f"got shape {array.shape}")
    return _encode(_as_images(image, model, "image"), model)


def _check_database(database, size):
    if not isinstance(database, Mapping):
        raise TypeError(f"database must be a dict mapping names to encodings; got {type(database).__name__}")
    if len(database) == 0:
        raise ValueError("database is empty; add at least one person (name -> encoding) first")
    encodings = {}
    for name, value in database.items():
        array = _validate.as_numeric_array(value, f"database[{name!r}]")
        if array.size != size or array.ndim > 2:
            raise ValueError(f"database[{name!r}] must be an encoding of {size} numbers (shape (1, {size}) or "
                             f"({size},)) like the model's; got shape {array.shape}")
        encodings[name] = array.reshape(-1)
    return encodings


def verify(image: ImageInput, identity: str, database: Mapping[str, ArrayLike], model: keras.Model,
           threshold: float = 0.7) -> tuple[float, bool]:
    """Is the person in ``image`` the one they claim to be?

    Parameters
    ----------
    image : str, path or array_like of shape (n_H, n_W, 3)
        The photo taken at the door.
    identity : str
        The claimed name, a key of ``database``.
    database : dict of str to array_like of shape (1, d) or (d,)
        Encodings of the known people.
    model : keras.Model
        The encoder.
    threshold : float, default 0.7
        Largest distance accepted as the same person.

    Returns
    -------
    dist : float
        L2 distance (not squared) between the photo's encoding and ``database[identity]``.
    door_open : bool
        ``dist < threshold``.
    """
    encoding = img_to_encoding(image, model)
    known = _check_database(database, encoding.shape[-1])
    if identity not in known:
        names = sorted(map(str, known))
        raise ValueError(f"identity {identity!r} is not in the database; it holds {len(names)} "
                         f"name(s): {names[:10]}{' ...' if len(names) > 10 else ''}")
    dist = float(np.linalg.norm(encoding[0] - known[identity]))
    return dist, bool(dist < threshold)


def who_is_it(image: ImageInput, database: Mapping[str, ArrayLike], model: keras.Model,
              threshold: float = 0.7) -> tuple[float, str | None]:
    """Which person of the database is in ``image``, if any?

    Parameters
    ----------
    image : str, path or array_like of shape (n_H, n_W, 3)
        The photo to recognise.
    database : dict of str to array_like of shape (1, d) or (d,)
        Encodings of the known people.
    model : keras.Model
        The encoder.
    threshold : float, default 0.7
        A best distance above this means "not in the database".

    Returns
    -------
    min_dist : float
        L2 distance to the closest encoding of the database.
    identity : str or None
        The closest person's name, or None when ``min_dist > threshold`` (not in the database).
    """
    encoding = img_to_encoding(image, model)
    known = _check_database(database, encoding.shape[-1])
    min_dist, identity = np.inf, None
    for name, reference in known.items():
        dist = float(np.linalg.norm(encoding[0] - reference))
        if dist < min_dist:
            min_dist, identity = dist, name
    return min_dist, (identity if min_dist <= threshold else None)


def build_database(images: ArrayLike, names: Sequence[str], model: keras.Model) -> dict[str, np.ndarray]:
    """A database ``{name: encoding of shape (1, d)}`` from one photo per person.

    Parameters
    ----------
    images : array_like, shape (n, n_H, n_W, 3)
    names : sequence of n str
    model : keras.Model
    """
    names = list(names)
    encodings = encode(images, model)
    if len(names) != len(encodings) or len(set(names)) != len(names):
        raise ValueError(f"names must hold {len(encodings)} distinct names, one per image; got {len(names)} "
                         f"({len(set(names))} distinct)")
    return {name: encodings[i:i + 1] for i, name in enumerate(names)}


# ---------------------------------------------------------------------------------------------
# The encoder and its training
# ---------------------------------------------------------------------------------------------

def face_encoder(input_shape: tuple[int, int, int] = (identities.IMAGE_SIZE, identities.IMAGE_SIZE, 3),
                 embedding_size: int = EMBEDDING_SIZE, widths: Sequence[int] = (32, 64, 128, 256),
                 seed: int = 0) -> keras.Model:
    """A small ResNet that maps a face to an L2-normalised encoding.

    A 5x5 stride-2 convolution, then one :func:`~course_utils.resnet.convolutional_block`
    (stride 2) per width after the first, each followed by an
    :func:`~course_utils.resnet.identity_block` except the last; global average pooling,
    a dense layer of ``embedding_size`` units and unit-length normalisation.
    For 64x64 inputs: 64 -> 32 -> 16 -> 8 -> 4 pixels.

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
    embedding_size : int, default 128
    widths : tuple of int
        Channels after the stem and after each stage.
    seed : int, default 0
        Seed of the dense layer's initialiser (the blocks use their own fixed seeds).

    Returns
    -------
    keras.Model
        Input ``(m, *input_shape)`` floats in [0, 1]; output ``(m, embedding_size)`` of unit norm.
    """
    import keras
    from keras import layers

    from course_utils import resnet

    embedding_size = _validate.integer(embedding_size, "embedding_size", minimum=1)
    inputs = keras.Input(input_shape)
    x = layers.Conv2D(widths[0], 5, strides=2, padding="same", kernel_initializer="he_normal")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    for i, width in enumerate(widths[1:]):
        x = resnet.convolutional_block(x, 3, [width // 2, width // 2, width], s=2, training=None)
        if i < len(widths) - 2:
            x = resnet.identity_block(x, 3, [width // 2, width // 2, width], training=None,
                                      initializer=resnet.glorot_uniform)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(embedding_size, kernel_initializer=keras.initializers.GlorotUniform(seed))(x)
    outputs = layers.UnitNormalization()(x)
    return keras.Model(inputs, outputs, name="face_encoder")


def _distances_and_same_person(labels, embeddings):
    """Squared L2 distances between all photos of a batch, shape (m, m), and the (m, m)
    boolean matrix that is True where two photos show the same person (the diagonal too)."""
    import tensorflow as tf

    labels = tf.reshape(labels, (-1,))
    dot = tf.matmul(embeddings, embeddings, transpose_b=True)
    norms = tf.linalg.diag_part(dot)
    # |a - b|^2 = |a|^2 - 2 a.b + |b|^2; rounding can make it slightly negative.
    distances = tf.maximum(norms[:, None] - 2.0 * dot + norms[None, :], 0.0)
    return distances, tf.equal(labels[:, None], labels[None, :])


def batch_hard_triplet_loss(labels: ArrayLike, embeddings: ArrayLike, alpha: float = 0.2) -> tf.Tensor:
    """Triplet loss with batch-hard mining (Hermans et al., 2017), averaged over anchors.

    Every photo of the batch is an anchor; its positive is the *farthest* photo of the same
    person and its negative the *closest* photo of anybody else, so each anchor contributes
    its hardest triplet. Distances are squared L2, as in :func:`triplet_loss`.

    Parameters
    ----------
    labels : tensor of int, shape (m,)
        Identity of each photo; each person should appear at least twice.
    embeddings : tensor, shape (m, d)
    alpha : float, default 0.2

    Returns
    -------
    tf.Tensor, scalar
    """
    import tensorflow as tf

    dist, same = _distances_and_same_person(labels, embeddings)
    hardest_positive = tf.reduce_max(tf.where(same, dist, 0.0), axis=1)
    hardest_negative = tf.reduce_min(tf.where(same, dist + 1e9, dist), axis=1)
    return tf.reduce_mean(tf.maximum(hardest_positive - hardest_negative + alpha, 0.0))


def batch_all_triplet_loss(labels: ArrayLike, embeddings: ArrayLike, alpha: float = 0.2) -> tf.Tensor:
    """Triplet loss over every valid triplet of the batch, averaged over the active ones.

    All (anchor, positive, negative) index triples with a shared anchor person and a different
    negative person are formed; the loss is the mean of ``max(d(a, p) - d(a, n) + alpha, 0)``
    over the triplets where it is positive (the easy ones, already at zero, would only dilute
    the average). Squared L2 distances, as in :func:`triplet_loss`.

    Parameters
    ----------
    labels, embeddings, alpha
        As :func:`batch_hard_triplet_loss`: identities of shape (m,), encodings of shape
        (m, d), the margin (default 0.2).

    Returns
    -------
    tf.Tensor, scalar
        0 when no triplet of the batch violates the margin.
    """
    import tensorflow as tf

    dist, same = _distances_and_same_person(labels, embeddings)
    positive = tf.logical_and(same, tf.logical_not(tf.eye(tf.shape(same)[0], dtype=tf.bool)))
    valid = tf.logical_and(positive[:, :, None], tf.logical_not(same)[:, None, :])
    losses = tf.maximum(dist[:, :, None] - dist[:, None, :] + alpha, 0.0) * tf.cast(valid, dist.dtype)
    active = tf.reduce_sum(tf.cast(losses > 1e-12, dist.dtype))
    return tf.reduce_sum(losses) / tf.maximum(active, 1.0)


def _labels_and(labels, values, name, ndim, layout):
    """``labels (m,)`` and ``values`` (``layout``, m first) as arrays, checked to describe the same m photos."""
    labels = _validate.as_numeric_array(labels, "labels", ndim=1, layout="(m,)")
    values = _validate.as_numeric_array(values, name, ndim=ndim, layout=layout)
    if len(labels) != len(values):
        raise ValueError(f"labels and {name} must have the same length m; got {len(labels)} and {len(values)}")
    return labels, values


def semi_hard_triplets(labels: ArrayLike, embeddings: ArrayLike, alpha: float = 0.2) -> np.ndarray:
    """Semi-hard triplets of a batch (FaceNet's selection), as index arrays.

    For each (anchor, positive) pair of the same person, the negative is the closest photo of
    another person that is still *farther* than the positive: ``d(a, p) < d(a, n) < d(a, p) +
    alpha`` (squared distances). Pairs without such a negative are skipped.

    Parameters
    ----------
    labels : array_like of int, shape (m,)
    embeddings : array_like, shape (m, d)
    alpha : float, default 0.2

    Returns
    -------
    numpy.ndarray of int, shape (k, 3)
        Rows ``(anchor, positive, negative)``.
    """
    labels, embeddings = _labels_and(labels, embeddings, "embeddings", 2, "(m, d)")
    e = embeddings.astype(np.float64)
    dist = ((e[:, None, :] - e[None, :, :]) ** 2).sum(-1)
    triplets = []
    for a in range(len(labels)):
        others = labels != labels[a]
        for p in np.flatnonzero((labels == labels[a]) & (np.arange(len(labels)) != a)):
            window = others & (dist[a] > dist[a, p]) & (dist[a] < dist[a, p] + alpha)
            if window.any():
                candidates = np.flatnonzero(window)
                triplets.append((a, p, candidates[np.argmin(dist[a, candidates])]))
    return np.array(triplets, dtype=np.int64).reshape(-1, 3)


def all_triplet_losses(labels: ArrayLike, embeddings: ArrayLike, alpha: float = 0.2) -> np.ndarray:
    """The loss of every valid triplet of a batch, in numpy (to see how many are easy).

    Parameters
    ----------
    labels : array_like of int, shape (m,)
    embeddings : array_like, shape (m, d)
    alpha : float, default 0.2

    Returns
    -------
    numpy.ndarray of float64, shape (k,)
        ``max(d(a, p) - d(a, n) + alpha, 0)`` (squared L2 distances) for each of the ``k``
        triplets (anchor, another photo of the anchor's person, a photo of somebody else);
        0 marks a triplet that is already easy.
    """
    labels, embeddings = _labels_and(labels, embeddings, "embeddings", 2, "(m, d)")
    squared = pairwise_distances(embeddings) ** 2
    same = labels[:, None] == labels[None, :]
    positive = same & ~np.eye(len(labels), dtype=bool)
    valid = positive[:, :, None] & ~same[:, None, :]
    return np.maximum(squared[:, :, None] - squared[:, None, :] + alpha, 0.0)[valid]


# --- training: the data, the objective, one step, the log, and the loop ------------------------

def _batches(labels, identities_per_batch, photos_per_identity, rng):
    """Endless index batches of P people x K photos each (the people drawn without repeats)."""
    groups = [np.flatnonzero(labels == value) for value in np.unique(labels)]
    groups = [g for g in groups if len(g) >= 2]
    if len(groups) < identities_per_batch:
        raise ValueError(f"training needs at least {identities_per_batch} people with two or more photos; "
                         f"got {len(groups)}")
    while True:
        order = rng.permutation(len(groups))
        for start in range(0, len(groups) - identities_per_batch + 1, identities_per_batch):
            chosen = [groups[j] for j in order[start:start + identities_per_batch]]
            yield np.concatenate([rng.choice(g, photos_per_identity, replace=len(g) < photos_per_identity)
                                  for g in chosen])


_MINED_LOSSES = {"batch_all": batch_all_triplet_loss, "batch_hard": batch_hard_triplet_loss}


def _mined_triplets(labels, embeddings, mining):
    """Index triplets (k, 3) of a batch: every valid one (batch-all) or each anchor's hardest."""
    import tensorflow as tf

    dist, same = _distances_and_same_person(labels, embeddings)
    if mining == "batch_all":
        positive = tf.logical_and(same, tf.logical_not(tf.eye(tf.shape(same)[0], dtype=tf.bool)))
        return tf.where(tf.logical_and(positive[:, :, None], tf.logical_not(same)[:, None, :]))
    anchors = tf.range(tf.shape(dist, out_type=tf.int64)[0])
    hardest_positive = tf.argmax(tf.where(same, dist, 0.0), axis=1)
    hardest_negative = tf.argmin(tf.where(same, dist + 1e9, dist), axis=1)
    return tf.stack([anchors, hardest_positive, hardest_negative], axis=1)


def _objective(mining, loss):
    """``objective(labels, embeddings, alpha) -> scalar``: a built-in mined loss, or ``loss`` on mined triplets.

    ``loss`` (the course's signature, a sum over triplets) is divided by what the built-in loss
    averages over: the anchors (batch-hard) or the triplets still inside the margin (batch-all),
    so that the two train alike when ``loss`` is right.
    """
    import tensorflow as tf

    if mining not in _MINED_LOSSES:
        raise ValueError(f"mining must be one of {sorted(_MINED_LOSSES)}; got {mining!r}")
    if loss is None:
        return _MINED_LOSSES[mining]
    if not callable(loss):
        raise TypeError(f"loss must be a triplet loss function loss(y_true, (anchor, positive, negative), alpha); "
                        f"got {type(loss).__name__}")

    def objective(labels, embeddings, alpha):
        triplets = _mined_triplets(labels, tf.stop_gradient(embeddings), mining)
        anchor, positive, negative = (tf.gather(embeddings, triplets[:, k]) for k in range(3))
        if mining == "batch_hard":
            count = tf.cast(tf.shape(triplets)[0], embeddings.dtype)
        else:
            margin = (tf.reduce_sum(tf.square(anchor - positive), -1) - tf.reduce_sum(tf.square(anchor - negative), -1)
                      + alpha)
            count = tf.reduce_sum(tf.cast(tf.stop_gradient(margin) > 1e-12, embeddings.dtype))
        return tf.cast(loss(None, (anchor, positive, negative), alpha), embeddings.dtype) / tf.maximum(count, 1.0)

    return objective


def _require_gradient(loss, alpha):
    """A clear error, before training, when ``loss`` is not differentiable by TensorFlow."""
    import tensorflow as tf

    encodings = tf.Variable(np.eye(3, 4, dtype=np.float32))
    with tf.GradientTape() as tape:
        value = loss(None, (encodings[:1], encodings[1:2], encodings[:1]), alpha)
    gradient = tape.gradient(value, encodings) if tf.is_tensor(value) else None
    if gradient is None:
        raise TypeError(f"loss must be built from TensorFlow operations, so that its gradient reaches the encodings; "
                        f"it returned {type(value).__name__} without a gradient")


def _train_step(model, objective, learning_rate, steps, alpha):
    """One compiled step: encode a batch, evaluate the objective, apply Adam (cosine-decayed rate)."""
    import keras
    import tensorflow as tf

    optimizer = keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(learning_rate, steps, alpha=0.05))

    @tf.function(autograph=False)
    def step(x, y):
        with tf.GradientTape() as tape:
            value = objective(y, model(x, training=True), alpha)
        optimizer.apply_gradients(zip(tape.gradient(value, model.trainable_variables),
                                      model.trainable_variables, strict=True))
        return value

    return step


class _TrainingLog:
    """Every ``every`` steps (and at the last) print the mean loss since the last line; every
    ``callback_every`` steps (and at the last) call ``callback(step, model)``."""

    def __init__(self, steps, every, callback, callback_every):
        self.steps, self.every, self.callback, self.callback_every = steps, every, callback, callback_every
        self.started = time.perf_counter()

    def _due(self, i, every):
        return bool(every) and (i % every == 0 or i == self.steps)

    def after(self, i, history, model):
        if self._due(i, self.every):
            print(f"step {i:5d}/{self.steps}  loss {np.mean(history[-self.every:]):.4f}  "
                  f"{time.perf_counter() - self.started:.0f} s", flush=True)
        if self.callback is not None and self._due(i, self.callback_every):
            self.callback(i, model)


def train_encoder(images: ArrayLike, labels: ArrayLike, model: keras.Model | None = None, steps: int = 1000,
                  identities_per_batch: int = 16, photos_per_identity: int = 4, alpha: float = 0.2,
                  learning_rate: float = 2e-3, mining: str = "batch_all", seed: int = 0, log_every: int = 100,
                  callback: Callable[[int, keras.Model], None] | None = None, callback_every: int | None = None,
                  loss: Callable | None = None) -> tuple[keras.Model, list[float]]:
    """Train an encoder with the triplet loss on mined triplets.

    Parameters
    ----------
    images : numpy.ndarray of uint8, shape (m, n_H, n_W, 3)
    labels : numpy.ndarray of int, shape (m,)
        Identity of each image.
    model : keras.Model, optional
        The encoder to train; a new :func:`face_encoder` by default.
    steps : int, default 1000
        Number of batches.
    identities_per_batch, photos_per_identity : int
        Each batch holds P people with K photos each (P x K images).
    alpha : float, default 0.2
        Margin of the triplet loss.
    learning_rate : float, default 2e-3
        Adam's initial rate, decayed along a cosine to 5 % of it.
    mining : {"batch_all", "batch_hard"}, default "batch_all"
        :func:`batch_all_triplet_loss` or :func:`batch_hard_triplet_loss`. From a random start,
        batch-hard mining tends to sit at ``loss = alpha`` (every encoding at one point) for
        hundreds of steps; batch-all does not.
    seed : int, default 0
    log_every : int, default 100
        Print the mean loss and the elapsed time every this many steps (0: silent).
    callback : callable, optional
        Called as ``callback(step, model)`` every ``callback_every`` steps and after the last.
    callback_every : int, optional
        Default ``log_every`` (the callback runs after each logged line; never when silent).
    loss : callable, optional
        A triplet loss with the course's signature, ``loss(y_true, (anchor, positive, negative),
        alpha)`` on encodings of shape (k, d), returning their sum (a learner's
        :func:`triplet_loss`). Each step then passes it the mined triplets (every valid one for
        batch-all, each anchor's hardest for batch-hard) and divides its value by the number of
        triplets the built-in loss averages over. It must be built from TensorFlow operations.

    Returns
    -------
    model : keras.Model
    history : list of float
        The loss of each step.
    """
    import tensorflow as tf

    labels, images = _labels_and(labels, images, "images", 4, "(m, n_H, n_W, 3)")
    steps = _validate.integer(steps, "steps", minimum=1)
    objective = _objective(mining, loss)
    if loss is not None:
        _require_gradient(loss, alpha)
    if model is None:
        model = face_encoder(images.shape[1:], seed=seed)
    step = _train_step(model, objective, learning_rate, steps, alpha)
    batches = _batches(labels, identities_per_batch, photos_per_identity, np.random.default_rng(seed))
    every = log_every if callback_every is None else _validate.integer(callback_every, "callback_every", minimum=1)
    log, history = _TrainingLog(steps, log_every, callback, every), []
    for i in range(1, steps + 1):
        index = next(batches)
        x = tf.constant(images[index], tf.float32) / 255.0
        history.append(float(step(x, tf.constant(labels[index]))))
        log.after(i, history, model)
    return model, history


def save_encoder(model: keras.Model, path: str | os.PathLike | None = None, metrics: dict | None = None) -> None:
    """Write the encoder's weights (and, if given, its metrics as JSON next to them).

    Parameters
    ----------
    model : keras.Model
        An encoder built by :func:`face_encoder`.
    path : str or path-like, optional
        Default :data:`course_utils.paths.FACE_ENCODER_WEIGHTS`, the shipped file.
    metrics : dict, optional
        Written to ``encoder_metrics.json`` beside the weights.
    """
    path = Path(paths.FACE_ENCODER_WEIGHTS if path is None else path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save_weights(path)
    if metrics is not None:
        path.with_name("encoder_metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")


def load_encoder(path: str | os.PathLike | None = None) -> tuple[keras.Model, dict]:
    """The shipped encoder (trained by ``tools/train_face_encoder.py``) and its metrics.

    Parameters
    ----------
    path : str or path-like, optional
        A weights file written by :func:`save_encoder`; default the shipped one,
        :data:`course_utils.paths.FACE_ENCODER_WEIGHTS`.

    Returns
    -------
    model : keras.Model
    metrics : dict
        Training settings, the chosen threshold and the measured metrics.
    """
    path = paths.require(paths.FACE_ENCODER_WEIGHTS if path is None else path, "the face encoder's weights",
                         "python tools/train_face_encoder.py")
    metrics_path = path.with_name("encoder_metrics.json")
    metrics = json.loads(metrics_path.read_text()) if metrics_path.exists() else {}
    model = face_encoder(**metrics.get("architecture", {}))
    model.load_weights(path)
    return model, metrics


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------

def pixel_encodings(images: ArrayLike) -> np.ndarray:
    """Raw pixels as an "encoding": each image flattened, in [0, 1], scaled to unit length.

    The baseline a learned encoder must beat.

    Parameters
    ----------
    images : array_like of uint8, shape (m, n_H, n_W, 3)

    Returns
    -------
    numpy.ndarray of float32, shape (m, n_H * n_W * 3)
    """
    array = _validate.as_numeric_array(images, "images", ndim=4, layout="(m, n_H, n_W, 3)")
    flat = array.reshape(len(array), -1).astype(np.float32)
    return flat / np.maximum(np.linalg.norm(flat, axis=1, keepdims=True), 1e-12)


def pairwise_distances(a: ArrayLike, b: ArrayLike | None = None) -> np.ndarray:
    """Plain L2 distances between the rows of ``a`` (m, d) and of ``b`` (n, d), shape (m, n)."""
    a = _validate.as_numeric_array(a, "a", ndim=2, layout="(m, d)").astype(np.float64)
    b = a if b is None else _validate.as_numeric_array(b, "b", ndim=2, layout="(n, d)").astype(np.float64)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"a and b must have encodings of the same size d; got {a.shape[1]} and {b.shape[1]}")
    squared = (a ** 2).sum(1)[:, None] - 2 * a @ b.T + (b ** 2).sum(1)[None, :]
    return np.sqrt(np.maximum(squared, 0.0))


def verification_pairs(labels: ArrayLike, n_pairs: int = 1000,
                       seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Balanced pairs for verification: half the same person, half different people.

    Parameters
    ----------
    labels : array_like of int, shape (m,)
    n_pairs : int, default 1000
        Total number of pairs (even).
    seed : int, default 0

    Returns
    -------
    i, j : numpy.ndarray of int, shape (n_pairs,)
        Indices of the two photos of each pair.
    same : numpy.ndarray of bool, shape (n_pairs,)
    """
    labels = _validate.as_numeric_array(labels, "labels", ndim=1, layout="(m,)")
    n_pairs = _validate.integer(n_pairs, "n_pairs", minimum=2)
    rng = np.random.default_rng(seed)
    half = n_pairs // 2
    groups = [np.flatnonzero(labels == value) for value in np.unique(labels)]
    groups = [g for g in groups if len(g) >= 2]
    if not groups or len(np.unique(labels)) < 2:
        raise ValueError("labels must hold at least two people, one of them with two photos or more")
    pos = np.array([rng.choice(groups[rng.integers(len(groups))], 2, replace=False) for _ in range(half)])
    neg = []
    while len(neg) < half:
        i, j = rng.integers(len(labels), size=2)
        if labels[i] != labels[j]:
            neg.append((i, j))
    pairs = np.concatenate([pos, np.array(neg)])
    same = np.arange(2 * half) < half
    return pairs[:, 0], pairs[:, 1], same


def _distances_and_labels(distances, same):
    distances = _validate.as_numeric_array(distances, "distances", ndim=1, layout="(n,)").astype(np.float64)
    same = np.asarray(same)
    if same.dtype != bool or same.shape != distances.shape:
        raise ValueError(f"same must be a boolean array of shape {distances.shape} like distances; "
                         f"got dtype {same.dtype}, shape {same.shape}")
    if same.all() or not same.any():
        raise ValueError("same must hold both True (same person) and False (different people) pairs")
    return distances, same


def roc_curve(distances: ArrayLike, same: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC curve of the rule "same person when distance <= threshold".

    Parameters
    ----------
    distances : array_like, shape (n,)
        Distance of each pair.
    same : array_like of bool, shape (n,)
        Whether each pair shows the same person.

    Returns
    -------
    false_positive_rate, true_positive_rate, thresholds : numpy.ndarray, shape (k,)
        One point per distinct threshold, from accepting nothing to accepting everything.
    """
    distances, same = _distances_and_labels(distances, same)
    order = np.argsort(distances, kind="stable")
    d, s = distances[order], same[order]
    last = np.r_[np.flatnonzero(np.diff(d)), len(d) - 1]  # last index of each distinct distance
    tpr = np.r_[0.0, np.cumsum(s)[last] / s.sum()]
    fpr = np.r_[0.0, np.cumsum(~s)[last] / (~s).sum()]
    return fpr, tpr, np.r_[-np.inf, d[last]]


def roc_auc(distances: ArrayLike, same: ArrayLike) -> float:
    """Area under the ROC curve: the probability that a same-person pair is closer than a
    different-person pair (ties count one half)."""
    fpr, tpr, _ = roc_curve(distances, same)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def verification_accuracy(distances: ArrayLike, same: ArrayLike, threshold: float) -> float:
    """Fraction of pairs decided correctly by "same person when distance <= threshold"."""
    distances, same = _distances_and_labels(distances, same)
    return float(np.mean((distances <= threshold) == same))


def best_threshold(distances: ArrayLike, same: ArrayLike) -> tuple[float, float]:
    """The threshold (a midpoint between observed distances) with the highest accuracy.

    Returns
    -------
    threshold : float
    accuracy : float
    """
    distances, same = _distances_and_labels(distances, same)
    d = np.unique(distances)
    candidates = np.r_[d[0] - 1e-6, (d[1:] + d[:-1]) / 2, d[-1] + 1e-6]
    accuracies = [np.mean((distances <= t) == same) for t in candidates]
    best = int(np.argmax(accuracies))
    return float(candidates[best]), float(accuracies[best])


def one_shot_accuracy(reference: ArrayLike, reference_labels: ArrayLike, queries: ArrayLike,
                      query_labels: ArrayLike) -> float:
    """Fraction of queries whose nearest reference encoding is the same person.

    Parameters
    ----------
    reference : array_like, shape (n, d)
        One encoding per known person (one photo each).
    reference_labels : array_like, shape (n,)
    queries : array_like, shape (q, d)
        Encodings of new photos of those people.
    query_labels : array_like, shape (q,)

    Returns
    -------
    float
    """
    reference_labels = np.asarray(reference_labels)
    query_labels = np.asarray(query_labels)
    distances = pairwise_distances(queries, reference)
    if distances.shape != (len(query_labels), len(reference_labels)):
        raise ValueError(f"expected {distances.shape[0]} query labels and {distances.shape[1]} reference labels; "
                         f"got {len(query_labels)} and {len(reference_labels)}")
    return float(np.mean(reference_labels[np.argmin(distances, axis=1)] == query_labels))


def one_shot_trials(encodings: ArrayLike, labels: ArrayLike, n_people: int = 10, n_trials: int = 200,
                    seed: int = 0) -> float:
    """Mean one-shot identification accuracy over random galleries.

    Each trial draws ``n_people`` people, one random photo of each as the reference (the
    database) and another random photo of each as the query.

    Parameters
    ----------
    encodings : array_like, shape (m, d)
    labels : array_like of int, shape (m,)
        Every person needs at least two photos.
    n_people : int, default 10
    n_trials : int, default 200
    seed : int, default 0

    Returns
    -------
    float
    """
    encodings = _validate.as_numeric_array(encodings, "encodings", ndim=2, layout="(m, d)")
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(labels == value) for value in np.unique(labels)]
    groups = [g for g in groups if len(g) >= 2]
    if len(groups) < n_people:
        raise ValueError(f"need at least n_people={n_people} people with two photos or more; got {len(groups)}")
    correct = 0
    for _ in range(n_trials):
        people = rng.choice(len(groups), n_people, replace=False)
        picks = np.array([rng.choice(groups[p], 2, replace=False) for p in people])
        correct += one_shot_accuracy(encodings[picks[:, 0]], people, encodings[picks[:, 1]], people) * n_people
    return correct / (n_trials * n_people)


def evaluate(encodings: ArrayLike, labels: ArrayLike, threshold: float | None = None, n_pairs: int = 2000,
             n_trials: int = 200, seed: int = 0) -> dict[str, float]:
    """Verification and one-shot identification metrics of some encodings.

    Parameters
    ----------
    encodings : array_like, shape (m, d)
        Encodings of photos of people never seen in training (several photos each).
    labels : array_like of int, shape (m,)
    threshold : float, optional
        Verification threshold; by default the best one on these pairs (optimistic: choose it
        on other people and pass it here for an honest accuracy).
    n_pairs, n_trials, seed :
        See :func:`verification_pairs` and :func:`one_shot_trials`.

    Returns
    -------
    dict
        ``auc``, ``threshold``, ``accuracy`` (verification at the threshold) and
        ``one_shot_10`` (identification among 10 people from one photo each).
    """
    encodings = _validate.as_numeric_array(encodings, "encodings", ndim=2, layout="(m, d)")
    i, j, same = verification_pairs(labels, n_pairs, seed)
    distances = np.linalg.norm(encodings[i].astype(np.float64) - encodings[j], axis=1)
    if threshold is None:
        threshold, _ = best_threshold(distances, same)
    return {"auc": roc_auc(distances, same), "threshold": float(threshold),
            "accuracy": verification_accuracy(distances, same, threshold),
            "one_shot_10": one_shot_trials(encodings, labels, 10, n_trials, seed)}
