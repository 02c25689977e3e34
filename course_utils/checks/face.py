"""Checkers of the three face-recognition functions a learner writes (notebooks 4.2 and 4.3).

``check_<name>(fn)`` runs the learner's ``fn`` on seeded cases, compares the result with
:mod:`course_utils.face` and prints one line per case, in the format of
:mod:`course_utils.checks`. The ``verify`` and ``who_is_it`` cases use a tiny fixed encoder
(one seeded dense layer on 24x24 synthetic faces), so they run in a second and do not depend
on the shipped weights.
"""

from __future__ import annotations

import numpy as np

from course_utils import face
from course_utils.checks.core import Case, compare, make_checker, to_numpy
from course_utils.synthetic import identities

__all__ = ["check_triplet_loss", "check_verify", "check_who_is_it", "tiny_encoder"]

RTOL = 1e-5
NAMES = ("ada", "bruno", "chen", "dara", "emeka")
_SIZE = 24


def tiny_encoder(size=_SIZE, embedding_size=16, seed=3):
    """A fixed, untrained encoder for the checkers: Flatten -> Dense -> unit length.

    Returns
    -------
    keras.Model
        Input ``(m, size, size, 3)``; output ``(m, embedding_size)``.
    """
    import keras
    from keras import layers

    return keras.Sequential([keras.Input((size, size, 3)), layers.Flatten(),
                             layers.Dense(embedding_size, kernel_initializer=keras.initializers.GlorotUniform(seed)),
                             layers.UnitNormalization()], name="tiny_encoder")


def triplet_loss_cases():
    import tensorflow as tf

    rng = np.random.default_rng(60)

    def unit(m, d):
        x = rng.standard_normal((m, d))
        return tf.constant(x / np.linalg.norm(x, axis=1, keepdims=True), tf.float32)

    sum_not_mean = ("the loss is a sum over the examples of max(pos_dist - neg_dist + alpha, 0), not a mean, "
                    "with squared distances summed over the last axis (axis=-1).")
    cases = [Case(f"{m} triplets of {d}-d encodings, alpha={alpha}",
                  (None, (unit(m, d), unit(m, d), unit(m, d)), alpha), hint=sum_not_mean)
             for m, d, alpha in [(3, 4, 0.2), (10, 128, 0.2), (5, 8, 0.5)]]
    a = unit(4, 6)
    cases.append(Case("positive identical to the anchor, far negative (loss 0)", (None, (a, a, -a), 0.2),
                      hint="take max(..., 0) of each example's term before summing: easy triplets add 0."))
    cases.append(Case("negative identical to the anchor (every triplet counts)", (None, (a, unit(4, 6), a), 0.2),
                      hint=sum_not_mean))
    one = tf.constant([1.0, 0.0])
    cases.append(Case("single encodings of shape (d,): one triplet, a scalar loss",
                      (None, (one, one * 0.5, -one), 0.2),
                      hint="with encodings of shape (d,), sum over the last axis (axis=-1) and return a scalar."))
    cases.append(Case("three Python lists of two numbers, as in the course's own test",
                      (None, ([0.5, 1.0], [0.5, 1.0], [0.0, 1.0]), 0.3),
                      hint="Python lists cannot be subtracted: turn each into a tensor first "
                           "(tf.convert_to_tensor), or use TensorFlow's own operations such as tf.subtract."))
    doubles = tuple(tf.cast(t, tf.float64) for t in (unit(3, 5), unit(3, 5), unit(3, 5)))
    cases.append(Case("float64 encodings: the loss comes back as a TensorFlow tensor", (None, doubles, 0.2),
                      hint="build the loss from TensorFlow operations only (tf.square, tf.reduce_sum, tf.maximum), "
                           "not numpy, so that TensorFlow can differentiate it when it trains the encoder."))
    return cases


def _scene():
    """The tiny model, a database of five people and new photos of them (and of a stranger)."""
    model = tiny_encoder()
    people = [identities.photos(identity, 3, size=_SIZE) for identity in range(50, 55)]
    database = {name: face.img_to_encoding(photos[0], model) for name, photos in zip(NAMES, people, strict=True)}
    stranger = identities.photos(identities.TEST_OFFSET + 77, 1, size=_SIZE)[0]
    return model, database, people, stranger


def verify_cases():
    model, database, people, stranger = _scene()
    plain = "the distance is the plain L2 norm np.linalg.norm(encoding - database[identity]), not its square."
    return [
        Case("ada's own reference photo (distance 0)", (people[0][0], "ada", database, model, 0.7)),
        Case("a new photo of bruno, claiming bruno", (people[1][1], "bruno", database, model, 0.7), hint=plain),
        Case("a new photo of chen, claiming dara", (people[2][2], "dara", database, model, 0.7), hint=plain),
        Case("a stranger claiming emeka, strict threshold 0.3", (stranger, "emeka", database, model, 0.3),
             hint="use the threshold argument; the door opens when dist < threshold."),
        Case("a stranger claiming emeka, loose threshold 1.5", (stranger, "emeka", database, model, 1.5),
             hint="use the threshold argument; the door opens when dist < threshold."),
    ]


def who_is_it_cases():
    model, database, people, stranger = _scene()
    return [
        Case("dara's own reference photo", (people[3][0], database, model, 0.7)),
        Case("a new photo of emeka", (people[4][1], database, model, 0.7),
             hint="keep the smallest distance over the whole database and the name that gave it."),
        Case("a new photo of ada, threshold 1.5", (people[0][2], database, model, 1.5),
             hint="use the threshold argument, not a fixed 0.7."),
        Case("a stranger, threshold 0.05 (not in the database)", (stranger, database, model, 0.05),
             hint="when min_dist > threshold the person is not in the database: return None as the identity."),
        Case("a database of one person", (people[1][1], {"bruno": database["bruno"]}, model, 0.7)),
    ]


_LABELS = {"verify": "door_open", "who_is_it": "identity"}


def _converter(name):
    """Tensors to numbers; the second item of (distance, decision) becomes {label: value}."""

    def convert(value):
        value = to_numpy(value)
        if name in _LABELS and isinstance(value, tuple) and len(value) == 2:
            distance, decision = value
            if isinstance(decision, np.bool_):
                decision = bool(decision)
            if np.ndim(distance) == 0 and not isinstance(distance, str):
                distance = float(distance)
            return distance, {_LABELS[name]: decision}
        return value

    return convert


def _compare_loss(got, expected):
    """:func:`~course_utils.checks.compare` on the values, except in the float64 case, which asks only
    for a TensorFlow tensor (the other cases check the values): notebook 4.2 trains an encoder on the
    learner's loss, so TensorFlow must be able to differentiate it, and numpy operations give the
    right number without a gradient."""
    import tensorflow as tf

    if tf.is_tensor(expected) and expected.dtype == tf.float64:
        return None if tf.is_tensor(got) else f"result should be a TensorFlow tensor; got {type(got).__name__}"
    return compare(to_numpy(got), to_numpy(expected), rtol=RTOL, atol=1e-6)


def _face_checker(name):
    if name == "triplet_loss":
        return make_checker(name, "course_utils.face", triplet_loss_cases, convert=lambda value: value,
                            compare_results=_compare_loss, solutions="course_utils.solutions.face",
                            fn_note="It must return a TensorFlow tensor (an encoder is trained on it).")
    return make_checker(name, "course_utils.face", globals()[f"{name}_cases"], convert=_converter(name), rtol=RTOL,
                        atol=1e-6, solutions="course_utils.solutions.face")


check_triplet_loss = _face_checker("triplet_loss")
check_verify = _face_checker("verify")
check_who_is_it = _face_checker("who_is_it")
